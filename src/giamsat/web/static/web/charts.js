/* giamsat charts: the indicator chart and the province map, drawn with Apache ECharts
   from JSON the page carries (json_script). No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var locale = lang === "vi" ? "vi-VN" : "en-GB";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function formatNumber(value, unit) {
    if (value === null || value === undefined) return "—";
    var digits = Math.abs(value) >= 1000 ? 0 : 2;
    var text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
    return unit === "%" ? text + "%" : text;
  }

  function point(p) { return [p.date, p.value]; }

  // A month as the page writes it: 07/2025. Points are on the first day of their month
  // (chart_data), where the time axis puts the month's tick.
  function monthLabel(v) {
    var d = new Date(v); return ("0" + (d.getMonth() + 1)).slice(-2) + "/" + d.getFullYear();
  }
  var MONTH = 28 * 24 * 3600 * 1000;  // no tick closer than a month: one label per month
  var escape = function (text) { return echarts.format.encodeHTML(String(text)); };

  function drawChart() {
    var node = document.getElementById("indicator-chart");
    var data = readJSON("chart-data");
    if (!node || !data || !data.lines.length) { if (node) node.hidden = true; return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    var series = data.lines.map(function (line) {
      return { name: line.name, type: "line", data: line.points.map(point), symbolSize: 7,
               lineStyle: { width: line.former ? 1.5 : 2.5, type: line.former ? "dashed" : "solid" } };
    });
    if (data.registered.length) {
      series.push({ name: data.labels.registered, type: "line", step: "end", symbol: "diamond",
                    symbolSize: 6, data: data.registered.map(point),
                    lineStyle: { type: "dotted", width: 1.5 }, itemStyle: { color: "#a4161a" } });
    }
    if (data.trend) {
      series.push({ name: data.labels.trend, type: "line", data: data.trend.map(point),
                    symbol: "none", lineStyle: { type: "dashed", width: 1.5 },
                    itemStyle: { color: "#7a869a" } });
    }
    if (data.target) {
      var marks = [{ name: data.labels.target, yAxis: data.target.value }];
      if (data.target.aspiration !== null) marks.push({ name: data.labels.aspiration, yAxis: data.target.aspiration });
      series.push({ name: data.labels.target, type: "scatter", symbol: "pin", symbolSize: 26,
                    data: [[data.target.date, data.target.value]], itemStyle: { color: "#a4161a" },
                    markLine: { silent: true, symbol: "none", lineStyle: { color: "#a4161a", type: "solid" },
                                label: { position: "insideEndTop",
                                         formatter: function (p) { return p.name + " " + formatNumber(p.value, data.unit); } },
                                data: marks } });
    }
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 24, top: 48, bottom: 40 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", formatter: function (items) {
        if (!items.length) return "";
        return [escape(monthLabel(items[0].value[0]))].concat(items.map(function (p) {
          return p.marker + escape(p.seriesName) + ": " + escape(formatNumber(p.value[1], data.unit));
        })).join("<br>");
      } },
      xAxis: { type: "time", minInterval: MONTH, splitNumber: node.clientWidth < 480 ? 4 : 8,
               axisLabel: { formatter: monthLabel, hideOverlap: true } },
      yAxis: { type: "value", scale: data.unit !== "%", max: data.unit === "%" ? 100 : null,
               axisLabel: { formatter: function (v) { return formatNumber(v, data.unit); } } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    node.dataset.ready = "1";
  }

  function drawMap() {
    var node = document.getElementById("province-map");
    var data = readJSON("map-data");
    if (!node || !data) return;
    fetch(node.dataset.svg, { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (svg) {
        var byName = {};
        var values = data.values.map(function (row) {
          byName[row.slug] = row;
          return { name: row.slug, value: row.value === null ? "-" : row.value };
        });
        // The archipelagos are parts of Đà Nẵng and Khánh Hòa: they take their colour.
        var archipelagos = { "hoang-sa": true, "truong-sa": true };
        [["hoang-sa", "da-nang", data.labels.hoang_sa], ["truong-sa", "khanh-hoa", data.labels.truong_sa]]
          .forEach(function (pair) {
            var owner = byName[pair[1]];
            byName[pair[0]] = { name: pair[2], value: owner ? owner.value : null, target: owner ? owner.target : null };
            values.push({ name: pair[0], value: owner && owner.value !== null ? owner.value : "-" });
          });
        var known = data.values.map(function (r) { return r.value; }).filter(function (v) { return v !== null; });
        // Names of small neighbours (the Red River delta) would cover each other. The map
        // is laid out once to learn where each name would go (`found`), then the names are
        // placed (`plan`) from the smallest province up: a name keeps its place when free,
        // else takes the nearest free one just above, below or beside it, inside the map;
        // one with no free place near its province is left to the tooltip (on a phone, a
        // few in the delta). The map is then laid out again with the plan.
        var VIEW_W = 853.6, VIEW_H = 996, PAD = 8;  // the SVG's viewBox; the map's margin
        var found = {}, plan = null;
        function mapBox() {
          // Where ECharts draws the map: the viewBox fitted inside the margins, centred.
          var w = node.clientWidth - 2 * PAD, h = node.clientHeight - 2 * PAD;
          var scale = Math.min(w / VIEW_W, h / VIEW_H);
          var x = PAD + (w - VIEW_W * scale) / 2, y = PAD + (h - VIEW_H * scale) / 2;
          return { x: x, y: y, right: x + VIEW_W * scale, bottom: y + VIEW_H * scale };
        }
        function overlaps(a, b) {
          return !(a.x >= b.x + b.width || b.x >= a.x + a.width ||
                   a.y >= b.y + b.height || b.y >= a.y + a.height);
        }
        function makePlan() {
          var bounds = mapBox(), result = {};
          // The colour scale, top right, is no place for a name.
          var placed = [{ x: node.clientWidth - 70, y: 0, width: 70, height: PAD + 140 + 50 }];
          var order = Object.keys(found).sort(function (a, b) {
            return found[a].area - found[b].area;
          });
          order.forEach(function (index) {
            var r = found[index].rect, w = r.width + 2, h = r.height + 1;  // air between names
            // Never further than a line or half a name away: farther, it names a neighbour.
            var moves = [[0, 0], [0, -h], [0, h], [w / 2, 0], [-w / 2, 0], [w / 2, -h],
                         [-w / 2, -h], [w / 2, h], [-w / 2, h]];
            result[index] = null;
            for (var i = 0; i < moves.length; i++) {
              var box = { x: r.x - 1 + moves[i][0], y: r.y + moves[i][1], width: w, height: h };
              var inside = box.x >= bounds.x && box.y >= bounds.y &&
                           box.x + w <= bounds.right && box.y + h <= bounds.bottom;
              if (inside && !placed.some(function (b) { return overlaps(box, b); })) {
                placed.push(box);
                result[index] = moves[i];
                break;
              }
            }
          });
          return result;
        }
        function placeLabel(params) {
          var r = params.labelRect;
          if (!r || !r.width) return {};
          if (plan === null) {
            var host = params.rect || r;
            found[params.dataIndex] = { rect: r, area: host.width * host.height };
            return {};
          }
          var move = plan[params.dataIndex];
          if (move === undefined) return {};
          return move ? { dx: move[0], dy: move[1] } : { x: -1000, y: -1000 };
        }
        // Drawn anew when the box changes size: the names are placed for one size. Each
        // drawing registers the map afresh (ECharts keeps one graphic per registered SVG
        // map, laid out for the size it was first drawn at).
        var chart = null, size = "", drawings = 0;
        function render() {
          if (chart) chart.dispose();
          size = node.clientWidth + "x" + node.clientHeight;
          var name = "vn-provinces-" + (drawings += 1);
          echarts.registerMap(name, { svg: svg });
          chart = echarts.init(node, null, { renderer: "svg" });
          found = {};
          plan = null;
          var option = {
            animation: false,
            tooltip: { formatter: function (p) {
              var row = byName[p.name] || {};
              var lines = [row.name || p.name,
                           data.labels.value + ": " + (row.value === null || row.value === undefined ? data.labels.none : formatNumber(row.value, data.unit))];
              if (row.target !== null && row.target !== undefined) lines.push(data.labels.target + ": " + formatNumber(row.target, data.unit));
              return lines.map(escape).join("<br>");
            } },
            visualMap: { type: "continuous", right: PAD, top: PAD, calculable: false,
                         min: known.length ? Math.min.apply(null, known) : 0,
                         max: known.length ? Math.max.apply(null, known) : 100,
                         text: [formatNumber(known.length ? Math.max.apply(null, known) : 100, data.unit),
                                formatNumber(known.length ? Math.min.apply(null, known) : 0, data.unit)],
                         inRange: { color: ["#f3e5c0", "#e39a4d", "#a4161a"] },
                         outOfRange: { color: "#dfe6ee" } },
            series: [{ type: "map", map: name, roam: false, selectedMode: false,
                       left: PAD, right: PAD, top: PAD, bottom: PAD,
                       itemStyle: { areaColor: "#dfe6ee", borderColor: "#ffffff", borderWidth: 0.6 },
                       // Each province's name on it; the archipelagos carry their own in the SVG.
                       label: { show: true, fontSize: node.clientWidth < 480 ? 8 : 9, color: "#1d2433",
                                textBorderColor: "rgba(255,255,255,.85)", textBorderWidth: 2,
                                formatter: function (p) {
                                  return archipelagos[p.name] ? "" : (byName[p.name] || {}).name || ""; } },
                       labelLayout: placeLabel,
                       emphasis: { itemStyle: { areaColor: "#0b5394" },
                                   label: { color: "#ffffff", textBorderWidth: 0 } },
                       data: values }]
          };
          chart.setOption(option);
          plan = makePlan();
          chart.setOption(option);
        }
        render();
        var pending = null;
        window.addEventListener("resize", function () {
          clearTimeout(pending);
          pending = setTimeout(function () {
            if (node.clientWidth + "x" + node.clientHeight !== size) render();
          }, 150);
        });
        node.dataset.ready = "1";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") return;
    drawChart();
    drawMap();
  });
})();
