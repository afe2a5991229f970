"""Project Fair over GraphQL: editions, registrations, meeting requests, schedule, agendas."""
