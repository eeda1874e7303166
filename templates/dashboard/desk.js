// Frontdesk's dashboard: a little progressive enhancement, nothing the pages need to be read.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // The week: place each appointment, hour and today's line at its time.
  document.querySelectorAll("[data-top]").forEach((el) => {
    el.style.top = el.dataset.top + "%";
    if (el.dataset.height) el.style.height = el.dataset.height + "%";
  });
  // The week's grid: four rem an hour, so a half-hour meeting has room for its time and caller.
  document.querySelectorAll("[data-hours]").forEach((el) => {
    el.style.setProperty("--grid", (parseInt(el.dataset.hours, 10) || 12) * 4 + "rem");
  });
  // A call: a turn's time plays the recording from there.
  const audio = document.getElementById("recording");
  document.querySelectorAll("button[data-t]").forEach((b) => {
    b.addEventListener("click", () => {
      if (!audio) return;
      audio.currentTime = parseFloat(b.dataset.t) || 0;
      audio.play().catch(() => {});
    });
  });
  // Live calls: the server sends the list again whenever it changes.
  const live = document.querySelector("[data-live]");
  if (live && window.EventSource) {
    const events = new EventSource(live.dataset.live);
    events.addEventListener("live", (e) => { live.innerHTML = e.data; });
  }
});
