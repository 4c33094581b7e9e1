/* Console des conseiller·es : la liste des conversations se met à jour toute seule.
   Loads fragments/conversations every N seconds (data-refresh-seconds), swaps the list
   when it changed, and updates #resume (aria-live="polite") so that screen readers hear
   "2 conversations en attente." only when the counts change. A button pauses it
   (WCAG 2.2.2); without JavaScript the page keeps its plain "Actualiser" link.
   External file: the console's CSP allows no inline script. */
(function () {
  "use strict";
  var zone = document.getElementById("zone-liste");
  var toggle = document.getElementById("actualisation");
  var state = document.getElementById("etat-actualisation");
  var summary = document.getElementById("resume");
  if (!zone || !toggle || !state || !summary || !window.fetch) {
    return;
  }
  var url = zone.getAttribute("data-refresh-url");
  var seconds = Number(zone.getAttribute("data-refresh-seconds")) || 15;
  var running = state.textContent;
  var paused = false;
  var timer = null;

  function schedule() {
    window.clearTimeout(timer);
    if (!paused) {
      timer = window.setTimeout(refresh, seconds * 1000);
    }
  }

  function stop(message) {
    paused = true;
    window.clearTimeout(timer);
    toggle.hidden = true;
    state.textContent = message;
  }

  function swap(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.firstElementChild;
    var current = document.getElementById("liste-conversations");
    if (!fresh || !current || fresh.id !== current.id) {
      return;
    }
    if (fresh.outerHTML !== current.outerHTML) {
      // Keep the keyboard focus on the same link when it is still listed.
      var focused = current.contains(document.activeElement)
        ? document.activeElement.getAttribute("href") : null;
      current.replaceWith(fresh);
      var again = focused ? fresh.querySelector('a[href="' + focused + '"]') : null;
      if (again) {
        again.focus();
      }
    }
    var text = fresh.getAttribute("data-summary");
    if (text && summary.textContent !== text) {
      summary.textContent = text;
    }
  }

  function refresh() {
    if (paused) {
      return;
    }
    if (document.hidden) {  // a background tab asks for nothing
      schedule();
      return;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "manual",
                 headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401) {
          stop("Votre session a expiré : rechargez la page pour vous reconnecter.");
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          swap(html);
          state.textContent = running;
          schedule();
        }
      })
      .catch(function () {
        state.textContent = "La liste n'a pas pu être mise à jour. Nouvel essai dans " +
          seconds + " secondes.";
        schedule();
      });
  }

  toggle.addEventListener("click", function () {
    paused = !paused;
    toggle.textContent = paused ? "Relancer l'actualisation" : "Suspendre l'actualisation";
    state.textContent = paused ? "Actualisation automatique suspendue." : running;
    if (paused) {
      window.clearTimeout(timer);
    } else {
      refresh();
    }
  });

  toggle.hidden = false;
  state.hidden = false;
  schedule();
}());
