"""A fault-injection TCP proxy that speaks the Toxiproxy HTTP API.

``ProxyServer`` runs in the caller's asyncio loop (``url = await start()``,
``await stop()``, or ``async with``); ``ProxyThread`` runs it in a background thread
with its own loop, for synchronous callers; ``ProxyProcess`` runs it as
``python -m chaos.proxy`` in a child process. Clients written for the real Toxiproxy
(toxiproxy-python, chaostoolkit-toxiproxy, toxiproxy-cli) work against either. See
docs/chaos-proxy.md.
"""

from chaos.proxy.errors import ApiError, ConfigError, ProxyError
from chaos.proxy.process import ProxyProcess
from chaos.proxy.server import VERSION, ProxyServer
from chaos.proxy.thread import ProxyThread

__all__ = [
    "VERSION",
    "ApiError",
    "ConfigError",
    "ProxyError",
    "ProxyProcess",
    "ProxyServer",
    "ProxyThread",
]
