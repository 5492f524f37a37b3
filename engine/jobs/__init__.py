"""Background work: what a use case asks for is written to the outbox (the `jobs` table) in its own transaction and
relayed after commit to whatever runs jobs (Celery workers on RabbitMQ in production, a thread of the web process in
the embedded default); a job's effect and its done mark commit together, so a job delivered twice takes effect once."""
