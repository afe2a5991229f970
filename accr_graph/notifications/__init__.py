"""Notifications: outbox events turned into inbox rows, e-mails and signed webhook deliveries.

- ``kinds``: the catalogue of event kinds (audience, default e-mail frequency, texts).
- ``recipients``: who receives an event (centre members, staff, one user), never another
  centre's drafts.
- ``dispatch``: claims undispatched outbox events and writes inbox rows and deliveries.
- ``delivery``: claims due deliveries, sends them (``mailer``, ``webhooks``), retries with backoff.
- ``worker``: the loop ``accr-graph worker`` (and the in-process task on SQLite) runs.
"""
