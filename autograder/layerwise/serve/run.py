"""Run the service under uvicorn until SIGINT/SIGTERM (then running jobs finish or give their
leases back: `Dispatcher.stop`)."""

from __future__ import annotations

from layerwise.serve.config import Settings

GRACE_SECONDS = 30


def serve(settings: Settings) -> None:
    import uvicorn

    from layerwise import tfenv
    from layerwise.serve.app import create_app
    from layerwise.serve.logs import configure

    tfenv.apply()
    configure()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                access_log=False, log_config=None, timeout_graceful_shutdown=GRACE_SECONDS)
