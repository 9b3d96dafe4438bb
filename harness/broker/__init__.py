"""A Pact Broker client: publish pacts and verification results, ask can-i-deploy.

Optional: without a broker configured (``config.resolve_broker`` returns None) the
contract suite and the gate work from files only. The modules, bottom up::

    errors   the BrokerError tree          config   URL + credentials (environment)
    hal      links, templates, notices     client   HTTP, the index, error translation
    versions the build (git commit/branch) publish  pacts, verification results
    deploy   can-i-deploy, environments, record-deployment
    sync     a pact folder + its records -> the broker (suite and CLI)
"""
