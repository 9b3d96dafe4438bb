#!/bin/sh
# Entry point of the harness image (docker compose run --rm harness ...): the harness
# CLI, pointed at the compose stack. Commands that take --target (run, load, chaos run)
# get `--target compose` unless one is given; in this image targets/compose.yaml names
# the services by their compose names (generated as targets/compose.network.yaml).
set -eu

wants_target=false
case "${1:-}" in
  run | load) wants_target=true ;;
  chaos) [ "${2:-}" = run ] && wants_target=true ;;
esac

if [ "$wants_target" = true ]; then
  for arg in "$@"; do
    case "$arg" in
      --target | --target=*) wants_target=false ;;
    esac
  done
fi

if [ "$wants_target" = true ]; then
  set -- "$@" --target compose
fi
exec python -m harness.cli.main "$@"
