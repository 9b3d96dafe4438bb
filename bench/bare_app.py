"""The baseline: a bare FastAPI endpoint served exactly like the reference services.

One route, a pydantic response model shaped like a product, nothing else (no
middleware, no database, no auth). Served by uvicorn in one process with the options
``python -m reference_services NAME`` uses (uvloop, httptools, no uvicorn access log,
lifespan on, default worker count of one)::

    python bench/bare_app.py --port 8600
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Product(BaseModel):
    id: str
    name: str
    price_cents: int
    currency: str


def create_app() -> FastAPI:
    app = FastAPI(title="bench-bare", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/products/{product_id}", response_model=Product)
    async def get_product(product_id: str) -> Product:
        return Product(id=product_id, name="Bench widget", price_cents=1299, currency="EUR")

    return app


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Serve the bare app in this process the way the reference services are served
    (keep in step with ``reference_services/__main__.py``)."""
    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="bare FastAPI baseline for benchmarks")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    serve(args.port, args.host)


if __name__ == "__main__":
    main()
