// The try-it page: posts the text to /v1/annotate (with displaCy's entity-style HTML) and to
// /v1/redact, and shows the highlighted entities, their values, the redacted text and the JSON.
// A `text` query parameter (/?text=...) fills the box and submits it, so a link shows a result.
"use strict";

const $ = (id) => document.getElementById(id);

async function post(path, body) {
  const headers = { "Content-Type": "application/json" };
  const key = $("api-key").value;
  if (key) headers["X-API-Key"] = key;
  const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) throw new Error(`${response.status} ${data.error || ""}: ${data.message || ""}`);
  return data;
}

function showValues(entities) {
  const rows = $("values").querySelector("tbody");
  rows.replaceChildren();
  for (const entity of entities) {
    const row = rows.insertRow();
    row.className = "entity-row";
    row.dataset.label = entity.label;
    const value = entity.value === null ? `(${entity.value_error || "none"})` : JSON.stringify(entity.value);
    const score = entity.score === null ? "" : entity.score.toFixed(3);
    for (const cell of [entity.label, entity.text, score, value, entity.kb_id || ""]) {
      row.insertCell().textContent = cell;
    }
  }
}

async function submit(event) {
  if (event) event.preventDefault();
  const text = $("text").value;
  document.body.dataset.state = "busy";
  $("error").textContent = "";
  try {
    const annotated = await post("/v1/annotate", { text, render_html: true });
    const redacted = await post("/v1/redact", { text, style: $("style").value });
    const result = annotated.results[0];
    $("entities").innerHTML = result.html;  // displaCy's markup: the text is escaped server-side
    showValues(result.entities);
    $("redacted").textContent = redacted.results[0].text;
    const withoutHtml = (key, value) => (key === "html" ? undefined : value);  // shown above already
    $("json").textContent = JSON.stringify({ annotate: annotated, redact: redacted }, withoutHtml, 2);
    document.body.dataset.state = "done";
  } catch (error) {
    $("error").textContent = error.message;
    document.body.dataset.state = "error";
  }
}

$("form").addEventListener("submit", submit);
const given = new URLSearchParams(window.location.search);
if (given.has("style")) $("style").value = given.get("style");
if (given.has("text")) {
  $("text").value = given.get("text");
  submit();
}
