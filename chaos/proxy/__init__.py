"""A fault-injection TCP proxy that speaks the Toxiproxy HTTP API.

``ProxyServer`` runs in an asyncio loop (``await start()``, ``await stop()``,
``.api_port``); ``ProxyProcess`` runs it as ``python -m chaos.proxy`` in a child
process. Clients written for the real Toxiproxy (toxiproxy-python,
chaostoolkit-toxiproxy, toxiproxy-cli) work against either. See docs/chaos-proxy.md.
"""

from chaos.proxy.errors import ApiError, ConfigError, ProxyError
from chaos.proxy.process import ProxyProcess
from chaos.proxy.server import VERSION, ProxyServer

__all__ = ["VERSION", "ApiError", "ConfigError", "ProxyError", "ProxyProcess", "ProxyServer"]
