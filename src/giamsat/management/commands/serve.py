import os

from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from giamsat.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


class Command(BaseCommand):
    help = "Serve giamsat with gunicorn (static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GIAMSAT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GIAMSAT_PORT", 8000)))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GIAMSAT_WORKERS", 2))
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        self.stdout.write(f"giamsat: http://{host}:{port}/  (Ctrl+C to stop)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "accesslog": "-",
                "timeout": 120,
                # Longer than a client's pause between requests: with gunicorn's 2 s,
                # a client reusing a connection the server is closing at that moment got
                # "connection reset" (46 of 14,720 requests in the load test). 75 s is
                # nginx's default; idle connections wait in the poller, not in a thread.
                "keepalive": 75,
            }
        ).run()
