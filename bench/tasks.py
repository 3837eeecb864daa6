"""Tasks for the benchmarks only; a worker loads them with ``-I bench.tasks``."""

from config.celery import app


@app.task(name="bench.noop")
def noop() -> None:
    """Does nothing: what Celery and Redis cost per task on their own."""
    return None
