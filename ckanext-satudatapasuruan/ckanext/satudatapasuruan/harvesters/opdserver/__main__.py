"""``python -m ckanext.satudatapasuruan.harvesters.opdserver``: serve until killed.

Prints one line ``listening on http://HOST:PORT`` once the socket is bound (``--port 0`` picks a free port), so
a test fixture or ``make run`` can read the address.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from .server import DEFAULT_API_KEY, DEFAULT_SEED, DEFAULT_TOKEN, OPDServer


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (kill, systemd, a fixture's terminate()) ends the server as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.satudatapasuruan.harvesters.opdserver",
                                     description="Server aplikasi OPD (SIPD BPKAD, e-Absensi BKPSDM) untuk demo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--records", type=int, default=50, help="records per system")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--token", default=os.environ.get("BPKAD_TOKEN", DEFAULT_TOKEN),
                        help="bearer token of the SIPD endpoint (default: $BPKAD_TOKEN or a demo value)")
    parser.add_argument("--api-key", default=os.environ.get("BKPSDM_API_KEY", DEFAULT_API_KEY),
                        help="X-API-Key of the e-Absensi endpoints (default: $BKPSDM_API_KEY or a demo value)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args(argv)
    if args.records < 0:
        parser.error("--records must be >= 0")

    server = OPDServer(args.host, args.port, records=args.records, seed=args.seed, token=args.token,
                       api_key=args.api_key, verbose=not args.quiet)
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
