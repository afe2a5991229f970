"""Use cases and rules. Resolvers call services; services call repositories."""
