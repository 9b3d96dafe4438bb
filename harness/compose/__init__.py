"""The Docker Compose stack, generated from the stack registry (harness/stack/topology.py).

``python -m harness.compose`` writes ``docker-compose.yml``, the compose target files
(``targets/``), the Toxiproxy links file and the PostgreSQL init script from the same
registry the embedded stack uses, so the two never drift; ``--check`` fails when a
committed file is stale. Every module here is pure: functions from the topology to
plain data, rendered and written only by ``files`` and ``__main__``.

    registry (topology, links, specs.service_env)
        -> network / variables / images          names, addresses, secrets, image pins
        -> kafka / proxy / postgres / services   one compose service each (or per service)
        -> profiles                              load, broker, report
        -> document -> render                    the compose document, YAML text
        -> targets                               target files for `--target compose`
        -> files -> __main__                     write or check
"""
