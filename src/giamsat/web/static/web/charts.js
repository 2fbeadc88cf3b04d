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
                                label: { formatter: function (p) { return p.name + " " + formatNumber(p.value, data.unit); } },
                                data: marks } });
    }
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 24, top: 48, bottom: 40 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return formatNumber(v, data.unit); } },
      xAxis: { type: "time", axisLabel: { formatter: function (v) {
        var d = new Date(v); return ("0" + (d.getMonth() + 1)).slice(-2) + "/" + d.getFullYear(); } } },
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
        echarts.registerMap("vn-provinces", { svg: svg });
        var byName = {};
        var values = data.values.map(function (row) {
          byName[row.slug] = row;
          return { name: row.slug, value: row.value === null ? "-" : row.value };
        });
        // The archipelagos are parts of Đà Nẵng and Khánh Hòa: they take their colour.
        [["hoang-sa", "da-nang", data.labels.hoang_sa], ["truong-sa", "khanh-hoa", data.labels.truong_sa]]
          .forEach(function (pair) {
            var owner = byName[pair[1]];
            byName[pair[0]] = { name: pair[2], value: owner ? owner.value : null, target: owner ? owner.target : null };
            values.push({ name: pair[0], value: owner && owner.value !== null ? owner.value : "-" });
          });
        var known = data.values.map(function (r) { return r.value; }).filter(function (v) { return v !== null; });
        var chart = echarts.init(node, null, { renderer: "svg" });
        chart.setOption({
          animation: false,
          tooltip: { formatter: function (p) {
            var row = byName[p.name] || {};
            var lines = [row.name || p.name,
                         data.labels.value + ": " + (row.value === null || row.value === undefined ? data.labels.none : formatNumber(row.value, data.unit))];
            if (row.target !== null && row.target !== undefined) lines.push(data.labels.target + ": " + formatNumber(row.target, data.unit));
            return lines.join("<br>");
          } },
          visualMap: { type: "continuous", left: 8, bottom: 8, calculable: false,
                       min: known.length ? Math.min.apply(null, known) : 0,
                       max: known.length ? Math.max.apply(null, known) : 100,
                       text: [formatNumber(known.length ? Math.max.apply(null, known) : 100, data.unit),
                              formatNumber(known.length ? Math.min.apply(null, known) : 0, data.unit)],
                       inRange: { color: ["#f3e5c0", "#e39a4d", "#a4161a"] },
                       outOfRange: { color: "#dfe6ee" } },
          series: [{ type: "map", map: "vn-provinces", roam: false, selectedMode: false,
                     itemStyle: { areaColor: "#dfe6ee", borderColor: "#ffffff", borderWidth: 0.6 },
                     emphasis: { itemStyle: { areaColor: "#0b5394" }, label: { show: false } },
                     data: values }]
        });
        window.addEventListener("resize", function () { chart.resize(); });
        node.dataset.ready = "1";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") return;
    drawChart();
    drawMap();
  });
})();
