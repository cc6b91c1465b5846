// duban 督办情况页：单位表的排序、筛选（状态记在地址的 # 后，可收藏、可发给同事），点单位名展开明细。
// 不用任何外部脚本；没有脚本时表格与明细照样完整显示。
(function () {
  "use strict";
  var table = document.getElementById("units");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById("q");
  var f = document.getElementById("f");
  var shown = document.getElementById("shown");
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = { q: "", f: "all", sort: "", dir: "asc" };

  function readHash() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (h.indexOf("=") < 0) return false;
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) state[kv.slice(0, i)] = kv.slice(i + 1);
    });
    return true;
  }

  function writeHash() {
    var parts = [];
    ["q", "f", "sort", "dir"].forEach(function (k) {
      if (state[k] && !(k === "f" && state[k] === "all") && !(k === "dir" && !state.sort)) {
        parts.push(k + "=" + encodeURIComponent(state[k]));
      }
    });
    var h = parts.length ? "#" + parts.join("&") : location.pathname + location.search;
    history.replaceState(null, "", h);
  }

  function num(r, k) { return Number(r.getAttribute("data-" + k)) || 0; }

  var filters = {
    all: function () { return true; },
    overdue: function (r) { return num(r, "overdue") > 0; },
    soon: function (r) { return num(r, "due-soon") > 0; },
    open: function (r) { return num(r, "done") < num(r, "total"); },
    done: function (r) { return num(r, "done") === num(r, "total"); }
  };

  function apply() {
    var text = state.q.trim().toLowerCase();
    var keep = filters[state.f] || filters.all;
    var n = 0;
    rows.forEach(function (r) {
      var ok = keep(r) && (!text || r.getAttribute("data-search").toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok;
      var d = document.getElementById(r.getAttribute("data-detail"));
      if (d) d.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = "显示 " + n + " / " + rows.length + " 个单位";
    heads.forEach(function (h) {
      var k = h.getAttribute("data-key");
      if (k && k === state.sort) h.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else h.removeAttribute("aria-sort");
    });
    if (state.sort) {
      var head = heads.filter(function (h) { return h.getAttribute("data-key") === state.sort; })[0];
      var numeric = head && head.getAttribute("data-type") === "number";
      var sign = state.dir === "desc" ? -1 : 1;
      var sorted = rows.slice().sort(function (a, b) {
        var c = numeric ? num(a, state.sort) - num(b, state.sort)
          : a.getAttribute("data-" + state.sort).localeCompare(b.getAttribute("data-" + state.sort), "zh-CN");
        // 同值时保持原来（登记册）的顺序，排序结果稳定。
        return c * sign || num(a, "order") - num(b, "order");
      });
      sorted.forEach(function (r) { body.appendChild(r); });
    }
  }

  heads.forEach(function (h) {
    var k = h.getAttribute("data-key");
    if (!k) return;
    h.setAttribute("title", "点击排序");
    h.addEventListener("click", function () {
      if (state.sort === k) state.dir = state.dir === "asc" ? "desc" : "asc";
      else { state.sort = k; state.dir = h.getAttribute("data-type") === "number" ? "desc" : "asc"; }
      writeHash(); apply();
    });
  });
  q.addEventListener("input", function () { state.q = q.value; writeHash(); apply(); });
  f.addEventListener("change", function () { state.f = f.value; writeHash(); apply(); });

  // 点单位名：展开它的明细并滚过去（没有脚本时是普通的页内链接）。
  body.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href^='#u-']") : null;
    if (!a) return;
    var d = document.getElementById(a.getAttribute("href").slice(1));
    if (d) { e.preventDefault(); d.open = true; d.scrollIntoView(); }
  });

  function openAnchor() {
    var id = location.hash.replace(/^#/, "");
    if (/^u-\d+$/.test(id)) { var d = document.getElementById(id); if (d) d.open = true; }
  }

  if (readHash()) { q.value = state.q; f.value = filters[state.f] ? state.f : "all"; }
  openAnchor();
  window.addEventListener("hashchange", function () { if (readHash()) { q.value = state.q; f.value = state.f; apply(); } openAnchor(); });
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
