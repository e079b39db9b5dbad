/* Topic maps (eraati.places): draws each figure's map with Leaflet (static/vendor/leaflet)
   from its data-topic-map, and on a topic page whose comment form has a place lets a mouse
   user click the map to choose a point (the hidden lat/lon fields of #comment-form). The
   page works without this file: the figure's caption lists the places in words and the
   form's "Place (optional)" list chooses one of them. No inline script (the CSP). */
(function () {
  "use strict";

  var AREA = { color: "#1d4f91", weight: 2, fill: false, interactive: false };
  var PLACE = { radius: 8, color: "#ffffff", weight: 2, fillColor: "#1d4f91", fillOpacity: 1 };
  var POINT = { radius: 7, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 };
  var CHOSEN = { radius: 9, color: "#000000", weight: 3, fillColor: "#f2c230", fillOpacity: 1 };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function formatDegrees(value) {
    var lang = document.documentElement.lang || "fi";
    return value.toLocaleString(lang, { minimumFractionDigits: 5, maximumFractionDigits: 5 });
  }

  function setUpPicker(map, bounds, data, figure) {
    var form = document.getElementById("comment-form");
    if (!form) return;
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var select = form.querySelector("select[name=place]");
    var box = form.querySelector("[data-map-point]");
    if (!lat || !lon || !box) return;
    var none = box.querySelector("[data-point-none]");
    var chosen = box.querySelector("[data-point-chosen]");
    var coords = box.querySelector("[data-point-coords]");
    var clear = box.querySelector("[data-point-clear]");
    var marker = null;
    box.hidden = false;

    function show(latValue, lonValue) {
      if (marker) { map.removeLayer(marker); marker = null; }
      var has = latValue !== null;
      none.hidden = has;
      chosen.hidden = !has;
      clear.hidden = !has;
      if (has) {
        coords.textContent = formatDegrees(latValue) + " N, " + formatDegrees(lonValue) + " E";
        marker = L.circleMarker([latValue, lonValue], CHOSEN).addTo(map);
      }
    }

    function choosePoint(latValue, lonValue) {
      lat.value = latValue.toFixed(6);
      lon.value = lonValue.toFixed(6);
      if (select) select.value = "";
      show(latValue, lonValue);
    }

    function clearPoint() {
      lat.value = "";
      lon.value = "";
      show(null, null);
    }

    map.on("click", function (event) {
      if (!bounds.contains(event.latlng)) return;
      choosePoint(event.latlng.lat, event.latlng.lng);
    });
    clear.addEventListener("click", function () {
      clearPoint();
      if (select) select.focus();
    });
    if (select) {
      select.addEventListener("change", function () {
        if (select.value) clearPoint();
      });
    }
    figure.chooseNamedPlace = function (id) {
      if (!select) return;
      clearPoint();
      select.value = String(id);
    };
    // A form shown again with its errors keeps the point that was sent.
    var latSent = parseFloat(lat.value);
    var lonSent = parseFloat(lon.value);
    if (!isNaN(latSent) && !isNaN(lonSent)) show(latSent, lonSent);
  }

  function draw(canvas) {
    var data = JSON.parse(canvas.getAttribute("data-topic-map"));
    canvas.hidden = false;
    var map = L.map(canvas, { scrollWheelZoom: false, zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    var bounds = L.latLngBounds(data.bounds);
    if (data.tiles) {
      L.tileLayer(data.tiles, { attribution: escapeHtml(data.attribution), maxZoom: 19 }).addTo(map);
    }
    L.rectangle(bounds, AREA).addTo(map);
    map.fitBounds(bounds);
    var figure = {};
    data.placeData.forEach(function (place) {
      var marker = L.circleMarker([place.lat, place.lon], PLACE).addTo(map);
      marker.bindTooltip(escapeHtml(place.name));
      if (data.picker) {
        marker.on("click", function (event) {
          L.DomEvent.stopPropagation(event);
          if (figure.chooseNamedPlace) figure.chooseNamedPlace(place.id);
        });
      }
    });
    (data.points || []).forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], point.mark ? CHOSEN : POINT).addTo(map);
      if (point.label) marker.bindTooltip(escapeHtml(point.label));
      if (point.href) {
        marker.on("click", function () { window.location.href = point.href; });
      }
    });
    if (data.picker) setUpPicker(map, bounds, data, figure);
    if (data.fillForm) setUpStaffFill(map, bounds, data.fillForm);
  }

  // The staff's map page: a click inside the area types its coordinates into the "Add a
  // place" form (the fields stay editable; typing them works without this).
  function setUpStaffFill(map, bounds, formId) {
    var form = document.getElementById(formId);
    if (!form) return;
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    if (!lat || !lon) return;
    var marker = null;
    map.on("click", function (event) {
      if (!bounds.contains(event.latlng)) return;
      lat.value = event.latlng.lat.toFixed(5);
      lon.value = event.latlng.lng.toFixed(5);
      if (marker) map.removeLayer(marker);
      marker = L.circleMarker(event.latlng, CHOSEN).addTo(map);
    });
  }

  function start() {
    if (!window.L) return; // the library did not load: the captions and lists remain
    var canvases = document.querySelectorAll("[data-topic-map]");
    for (var i = 0; i < canvases.length; i++) draw(canvases[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
