// Draws a dossier's diagram with the bpmn-js viewer: the steps and flows it went through in one colour, the
// steps waiting for someone in another.
(function () {
  const holder = document.getElementById("diagram");
  if (!holder) return;
  const viewer = new BpmnJS({ container: holder });
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
      canvas.zoom("fit-viewport");
      holder.dataset.ready = "true";
    })
    .catch((error) => {
      holder.dataset.error = error.message;
      holder.textContent = "Không vẽ được sơ đồ: " + error.message;
    });
})();
