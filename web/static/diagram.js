// Draws a dossier's diagram with the bpmn-js viewer: the steps and flows it went through in one colour, the
// steps waiting for someone in another. It opens fitted to the width, but never so small that its labels cannot be
// read: a wider diagram is drawn larger than its frame, which scrolls (a finger on a phone, as any page); buttons
// zoom in, out and back to the width.
(function () {
  const holder = document.getElementById("diagram");
  if (!holder) return;
  const READABLE = 0.8; // below this zoom the labels' text is under 9 px
  const viewer = new BpmnJS({ container: holder });
  let drawing = null; // the diagram's own extent, in its coordinates

  // Draws the diagram at `zoom` on a canvas as large as that makes it (at least the frame), from its top left.
  function show(zoom) {
    const canvas = viewer.get("canvas");
    const page = holder.firstElementChild;
    const width = Math.max(holder.clientWidth, Math.ceil(drawing.width * zoom) + 20);
    const height = Math.max(holder.clientHeight, Math.ceil(drawing.height * zoom) + 20);
    page.style.width = width + "px";
    page.style.height = height + "px";
    canvas.resized();
    canvas.viewbox({ x: drawing.x - 10 / zoom, y: drawing.y - 10 / zoom, width: width / zoom, height: height / zoom });
    holder.dataset.zoom = zoom.toFixed(2);
  }

  function fitted() {
    return Math.min(1, Math.max(READABLE, (holder.clientWidth - 20) / drawing.width));
  }

  function tools() {
    const bar = document.createElement("div");
    bar.className = "diagram-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Cỡ sơ đồ");
    [["Phóng to", () => show(Math.min(3, viewer.get("canvas").zoom() * 1.25))],
     ["Thu nhỏ", () => show(Math.max(0.2, viewer.get("canvas").zoom() / 1.25))],
     ["Vừa khung", () => show(fitted())]].forEach(([label, action]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = label;
      button.addEventListener("click", action);
      bar.appendChild(button);
    });
    holder.before(bar);
  }
  fetch(holder.dataset.url, { credentials: "same-origin" })
    .then((response) => response.text())
    .then((xml) => viewer.importXML(xml))
    .then(({ warnings }) => {
      holder.dataset.warnings = String(warnings.length);
      warnings.forEach((warning) => console.warn(warning.message));
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      const open = new Set(JSON.parse(holder.dataset.open));
      const trail = new Set(JSON.parse(holder.dataset.trail || "[]"));
      registry.getAll().forEach((element) => {
        const business = element.businessObject;
        if (open.has(element.id)) {
          canvas.addMarker(element.id, "open-step");
        } else if (element.waypoints && business.sourceRef && business.targetRef) {
          if (trail.has(business.sourceRef.id + ">" + business.targetRef.id)) canvas.addMarker(element.id, "taken-flow");
        } else if (trail.has(element.id) && element.type !== "label") {
          canvas.addMarker(element.id, "done-step");
        }
      });
      drawing = canvas.viewbox().inner;
      show(fitted());
      tools();
      holder.dataset.ready = "true";
    })
    .catch((error) => {
      holder.dataset.error = error.message;
      holder.textContent = "Không vẽ được sơ đồ: " + error.message;
    });
})();
