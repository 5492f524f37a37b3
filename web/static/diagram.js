// Draws a dossier's diagram with the bpmn-js viewer and marks the steps waiting for someone.
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
      JSON.parse(holder.dataset.open).forEach((id) => {
        if (registry.get(id)) canvas.addMarker(id, "open-step");
      });
      canvas.zoom("fit-viewport");
      holder.dataset.ready = "true";
    })
    .catch((error) => {
      holder.dataset.error = error.message;
      holder.textContent = "Không vẽ được sơ đồ: " + error.message;
    });
})();
