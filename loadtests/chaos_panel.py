"""The chaos panel in Locust's web UI, built on its extension points (Flask routes on
``web_ui.app`` and the React UI's extended tabs):

- ``GET  chaos/faults``        every fault, on or off, with its switch times (JSON).
- ``POST chaos/faults/<name>`` body ``{"on": true|false}`` switches one.
- ``chaos/panel.js``           a floating panel with a switch per fault, added to the
                               UI's page (the React UI has no slot for buttons).
- a "Chaos" tab: the same faults as a table, fed through ``extended_stats``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_from_directory
from locust.web import WebUI

from harness.load.switch import FaultError, FaultSwitch

STATIC = Path(__file__).resolve().parent / "static"
TAB = "chaos"
SCRIPT = '<script src="./chaos/panel.js"></script>'


def install(web_ui: WebUI, switch: FaultSwitch) -> None:
    app = web_ui.app
    if app is None:
        return
    app.register_blueprint(blueprint(switch))
    web_ui.template_args["extended_tabs"] = [{"title": "Chaos", "key": TAB}]
    web_ui.template_args["extended_tables"] = [
        {
            "key": TAB,
            "structure": [
                {"key": "name", "title": "Fault"},
                {"key": "state", "title": "State"},
                {"key": "links", "title": "Links"},
                {"key": "switched", "title": "Switched (UTC)"},
                {"key": "title", "title": "What it does"},
            ],
        }
    ]
    web_ui.template_args["extended_csv_files"] = [
        {"href": "./chaos/faults.csv", "title": "Download fault windows CSV"}
    ]

    @app.after_request
    def _extend(response: Response) -> Response:
        if request.endpoint == "locust.index" and response.status_code == 200:
            page = response.get_data(as_text=True)
            response.set_data(page.replace("</body>", f"{SCRIPT}</body>", 1))
        elif request.endpoint == "locust.request_stats" and response.is_json:
            body = {**(response.get_json() or {}), "extended_stats": [table(switch)]}
            response.set_data(json.dumps(body))
        return response


def blueprint(switch: FaultSwitch) -> Blueprint:
    routes = Blueprint("harness_chaos", __name__, url_prefix="/chaos")

    @routes.get("/faults")
    def faults() -> Response:
        return jsonify(switch.state())

    @routes.post("/faults/<name>")
    def toggle(name: str) -> tuple[Response, int]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("on"), bool):
            return jsonify(error='send a JSON body {"on": true} or {"on": false}'), 400
        if name not in switch.faults:
            return jsonify(error=f"no fault named {name!r}", known=list(switch.faults)), 404
        try:
            switch.switch(name, body["on"], source="ui")
        except FaultError as exc:
            return jsonify(error=str(exc)), 502
        return jsonify(switch.state()), 200

    @routes.get("/faults.csv")
    def faults_csv() -> Response:
        return send_from_directory(switch.folder, "faults.csv", mimetype="text/csv")

    @routes.get("/panel.js")
    def panel() -> Response:
        return send_from_directory(STATIC, "chaos-panel.js", mimetype="application/javascript")

    return routes


def table(switch: FaultSwitch) -> dict[str, Any]:
    rows = [
        {
            "name": fault["name"],
            "state": "ON" if fault["on"] else "off",
            "links": ", ".join(fault["links"]),
            "switched": "; ".join(_span(w) for w in fault["windows"]),
            "title": fault["title"],
        }
        for fault in switch.state()
    ]
    return {"key": TAB, "data": rows}


def _span(window: dict[str, Any]) -> str:
    def clock(stamp: float | None) -> str:
        if stamp is None:
            return "now"
        return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%H:%M:%S")

    return f"{clock(window['on'])}-{clock(window['off'])} ({window['source']})"
