// The chaos panel: one switch per fault, floating over Locust's React UI (outside its
// root, so React never redraws it). Served by loadtests/chaos_panel.py.
(function () {
  "use strict";
  const api = "./chaos/faults";
  const panel = document.createElement("section");
  panel.id = "chaos-panel";
  panel.setAttribute("aria-label", "Chaos faults");
  panel.style.cssText =
    "position:fixed;left:12px;bottom:12px;z-index:2000;width:340px;max-height:45vh;" +
    "overflow:auto;background:#fff;color:#222;border:1px solid #c62828;border-radius:6px;" +
    "box-shadow:0 2px 10px rgba(0,0,0,.3);font:13px sans-serif;padding:8px";
  panel.innerHTML =
    '<div style="display:flex;justify-content:space-between;align-items:center">' +
    '<strong>Chaos faults</strong><button type="button" id="chaos-fold">hide</button></div>' +
    '<div id="chaos-error" role="alert" style="color:#c62828"></div>' +
    '<ul id="chaos-faults" style="list-style:none;margin:4px 0;padding:0"></ul>';
  const list = panel.querySelector("#chaos-faults");
  const error = panel.querySelector("#chaos-error");

  panel.querySelector("#chaos-fold").addEventListener("click", (event) => {
    list.hidden = !list.hidden;
    event.target.textContent = list.hidden ? "show" : "hide";
  });

  function row(fault) {
    const item = document.createElement("li");
    item.dataset.fault = fault.name;
    item.dataset.state = fault.on ? "on" : "off";
    item.style.cssText = "display:flex;gap:6px;align-items:center;padding:3px 0";
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.fault = fault.name;
    button.textContent = fault.on ? "Switch off" : "Switch on";
    button.style.cssText = fault.on ? "background:#c62828;color:#fff" : "";
    button.addEventListener("click", () => toggle(fault.name, !fault.on, button));
    const label = document.createElement("span");
    label.title = fault.title + " (links: " + fault.links.join(", ") + ")";
    label.textContent = fault.name + (fault.on ? " (on)" : "");
    item.append(button, label);
    return item;
  }

  function show(faults) {
    list.replaceChildren(...faults.map(row));
  }

  async function refresh() {
    try {
      const response = await fetch(api);
      show(await response.json());
    } catch (problem) {
      error.textContent = "chaos faults unavailable: " + problem;
    }
  }

  async function toggle(name, on, button) {
    button.disabled = true;
    error.textContent = "";
    try {
      const response = await fetch(api + "/" + encodeURIComponent(name), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ on: on }),
      });
      const body = await response.json();
      if (!response.ok) {
        throw new Error(body.error || "the switch failed (" + response.status + ")");
      }
      show(body);
    } catch (problem) {
      error.textContent = String(problem.message || problem);
      button.disabled = false;
    }
  }

  document.body.append(panel);
  refresh();
  setInterval(refresh, 2000);
})();
