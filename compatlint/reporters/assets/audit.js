// compatlint audit report. Everything from the repository is untrusted: it goes into the page only
// through textContent and setAttribute, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("audit-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var SEVERITIES = ["error", "warning", "info"];
  var OPACITY = { error: 1, warning: 0.62, info: 0.32 };
  var COLOURS = {
    "drops": "#d1495b", "renames": "#8e5ea2", "types": "#e69500", "keys": "#00798c",
    "SQL": "#30638e", "transfers": "#3d9970", "schema files": "#7a7f8a", "other": "#a0a4ad"
  };

  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (key) {
      if (key === "text") { node.textContent = props[key]; }
      else if (key === "className") { node.className = props[key]; }
      else if (props[key] !== null && props[key] !== undefined) { node.setAttribute(key, String(props[key])); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function short(sha) { return sha.slice(0, 10); }
  function day(date) { return date.slice(0, 10); }
  function where(f) { return f.path ? f.path + (f.line ? ":" + f.line : "") : ""; }
  function subject(f) { return f.table ? f.table + (f.column ? "." + f.column : "") : ""; }
  function commitOf(f) { return data.commits[f.commit]; }

  // --- header and summary ------------------------------------------------------------------------
  document.getElementById("range").textContent = data.range;
  document.getElementById("meta").textContent = data.platform + " \u00b7 " + plural(data.commits_walked, "commit") +
    " walked" + (data.head ? " \u00b7 newest " + short(data.head) : "");

  function summary() {
    var box = document.getElementById("summary");
    var errors = data.counts.error, means = { directive: 0, baseline: 0, config: 0 }, erring = {};
    data.left_out.forEach(function (f) { means[f.means] = (means[f.means] || 0) + 1; });
    data.findings.forEach(function (f) { if (f.severity === "error") { erring[f.commit] = true; } });
    var total = data.findings.length;
    var head = (errors ? plural(errors, "breaking change") + " (errors) in " + plural(Object.keys(erring).length, "commit")
      : "No breaking change") + "; " + plural(total, "finding") + " in " + data.commits_with_findings + " of " +
      plural(data.commits_walked, "commit") + ".";
    box.appendChild(el("p", { className: "headline", id: "headline", text: head }));
    var cards = el("div", { className: "cards" });
    [["error", errors, "breaking (errors)"], ["warning", data.counts.warning, "warnings"],
     ["info", data.counts.info, "info"], ["", data.commits_with_findings, "commits with findings"],
     ["", means.directive, "suppressed by comments"], ["", means.baseline, "baselined"],
     ["", means.config, "ignored by configuration"]].forEach(function (c) {
      if (c[2] === "ignored by configuration" && !c[1]) { return; }
      cards.appendChild(el("div", { className: "card " + c[0], id: "count-" + c[2].split(" ")[0] },
        [el("div", { className: "number", text: String(c[1]) }), el("div", { className: "label", text: c[2] })]));
    });
    box.appendChild(cards);
  }

  // --- timeline ----------------------------------------------------------------------------------
  var selectedCommit = null;

  function timeline() {
    var box = document.getElementById("timeline");
    var bearing = data.commits.map(function (c, i) { return i; }).filter(function (i) { return data.commits[i].findings > 0; });
    if (!bearing.length) { box.appendChild(el("p", { className: "empty", text: "No findings to draw." })); return; }
    var stacks = {};
    data.findings.forEach(function (f) {
      var key = f.commit;
      stacks[key] = stacks[key] || {};
      var k = f.severity + "|" + f.family;
      stacks[key][k] = (stacks[key][k] || 0) + 1;
    });
    var max = Math.max.apply(null, bearing.map(function (i) { return data.commits[i].findings; }));
    var n = bearing.length, slot = Math.max(10, Math.min(150, 1080 / n)), barWidth = Math.max(6, Math.min(48, slot * 0.6));
    var levels = [], tagLevel = {};
    data.tags.forEach(function (tag, i) {  // stack tag labels that would overlap
      var x = tag.position * slot, level = 0;
      while (levels[level] !== undefined && levels[level] > x) { level += 1; }
      tagLevel[i] = level;
      levels[level] = x + tag.name.length * 7 + 10;
    });
    var tagRows = Math.max(1, levels.length), left = 40, top = 16 + tagRows * 14, plot = 170, bottom = 34;
    var width = left + n * slot + 90, height = top + plot + bottom;
    var chart = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": "Findings per commit" });
    var scale = plot / max;
    [0, Math.ceil(max / 2), max].forEach(function (tick) {
      var y = top + plot - tick * scale;
      chart.appendChild(svg("line", { x1: left - 4, x2: width - 16, y1: y, y2: y, "class": "axis" }));
      chart.appendChild(svg("text", { x: left - 8, y: y + 4, "text-anchor": "end" }, String(tick)));
    });
    var every = Math.max(1, Math.ceil(78 / slot));
    bearing.forEach(function (ci, position) {
      var c = data.commits[ci], x = left + position * slot + (slot - barWidth) / 2, y = top + plot;
      var mark = svg("g", { "class": "mark", "data-sha": c.sha, "data-findings": c.findings, tabindex: 0, role: "button" });
      var parts = [];
      SEVERITIES.forEach(function (sev) {
        data.families.forEach(function (fam) {
          var count = (stacks[ci] || {})[sev + "|" + fam] || 0;
          if (!count) { return; }
          var h = count * scale;
          y -= h;
          mark.appendChild(svg("rect", { x: x, y: y, width: barWidth, height: h, fill: COLOURS[fam],
            "fill-opacity": OPACITY[sev], "data-family": fam, "data-severity": sev, "data-count": count }));
          parts.push(count + " " + fam + " " + sev);
        });
      });
      mark.appendChild(svg("title", {}, short(c.sha) + " " + day(c.date) + " " + c.author + "\n" + c.subject +
        "\n" + parts.join(", ")));
      mark.addEventListener("click", function () { selectCommit(selectedCommit === ci ? null : ci); });
      mark.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); selectCommit(selectedCommit === ci ? null : ci); }
      });
      chart.appendChild(mark);
      if (position % every === 0) {
        chart.appendChild(svg("text", { x: x + barWidth / 2, y: top + plot + 16, "text-anchor": "middle" }, day(c.date)));
      }
    });
    data.tags.forEach(function (tag, i) {
      var x = left + tag.position * slot, y = 12 + tagLevel[i] * 14;
      var g = svg("g", { "class": "tag", "data-tag": tag.name });
      g.appendChild(svg("line", { x1: x, x2: x, y1: y + 3, y2: top + plot + 6 }));
      g.appendChild(svg("text", { x: x + 3, y: y }, tag.name));
      g.appendChild(svg("title", {}, "tag " + tag.name + " at " + short(tag.sha)));
      chart.appendChild(g);
    });
    box.appendChild(chart);
    var legend = document.getElementById("legend");
    var present = {};
    data.findings.forEach(function (f) { present[f.family] = true; });
    data.families.filter(function (f) { return present[f]; }).forEach(function (fam) {
      legend.appendChild(el("span", {}, [el("span", { className: "swatch", style: "background:" + COLOURS[fam] }), fam]));
    });
    SEVERITIES.forEach(function (sev) {
      legend.appendChild(el("span", {}, [el("span", { className: "swatch",
        style: "background:#555;opacity:" + OPACITY[sev] }), sev]));
    });
    if (data.tags.length) {
      legend.appendChild(el("span", {}, [el("span", { className: "swatch", style: "background:#3949ab;width:3px" }),
        "tag (the bars left of it are in the tagged commit)"]));
    }
  }

  // --- findings table ----------------------------------------------------------------------------
  var COLUMNS = [
    ["commit", "Commit", function (f) { return f.commit; }],
    ["location", "File:line", function (f) { return (f.path || "") + "\u0000" + String(f.line || 0).padStart(8, "0"); }],
    ["code", "Code", function (f) { return f.code; }],
    ["severity", "Severity", function (f) { return SEVERITIES.indexOf(f.severity); }],
    ["table", "Table", function (f) { return subject(f); }],
    ["message", "Message and safe path", function (f) { return f.message; }],
    // not shown as columns (the commit cell holds them), but sortable from the address: #sort=date
    ["date", "Date", function (f) { return commitOf(f).date; }, true],
    ["author", "Author", function (f) { return commitOf(f).author.toLowerCase(); }, true]
  ];
  var sortBy = null, sortDesc = false, filters = { code: "", severity: "", table: "", path: "" };

  function options(values) {
    var counts = {};
    values.forEach(function (v) { if (v) { counts[v] = (counts[v] || 0) + 1; } });
    return Object.keys(counts).sort().map(function (v) { return [v, v + " (" + counts[v] + ")"]; });
  }

  function filterBar() {
    var bar = document.getElementById("filters");
    [["code", "Code", options(data.findings.map(function (f) { return f.code; }))],
     ["severity", "Severity", SEVERITIES.filter(function (s) { return data.counts[s]; }).map(function (s) {
       return [s, s + " (" + data.counts[s] + ")"]; })],
     ["table", "Table", options(data.findings.map(function (f) { return f.table; }))]].forEach(function (spec) {
      var select = el("select", { id: "filter-" + spec[0] }, [el("option", { value: "", text: "all" })]);
      spec[2].forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
      select.addEventListener("change", function () { filters[spec[0]] = select.value; render(); });
      bar.appendChild(el("label", {}, [spec[1] + " ", select]));
    });
    var path = el("input", { id: "filter-path", type: "search", placeholder: "part of a path" });
    path.addEventListener("input", function () { filters.path = path.value; render(); });
    bar.appendChild(el("label", {}, ["Path ", path]));
    bar.appendChild(el("span", { id: "commit-chip" }));
    var reset = el("button", { id: "filter-reset", type: "button", text: "Reset" });
    reset.addEventListener("click", function () {
      filters = { code: "", severity: "", table: "", path: "" };
      ["code", "severity", "table", "path"].forEach(function (k) { document.getElementById("filter-" + k).value = ""; });
      selectCommit(null);
    });
    bar.appendChild(reset);
    bar.appendChild(el("span", { id: "shown", className: "muted small" }));
  }

  function selectCommit(ci) {
    selectedCommit = ci;
    Array.prototype.forEach.call(document.querySelectorAll("#timeline .mark"), function (m) {
      m.classList.toggle("selected", ci !== null && m.getAttribute("data-sha") === data.commits[ci].sha);
    });
    var chip = document.getElementById("commit-chip");
    chip.textContent = "";
    if (ci !== null) {
      var c = data.commits[ci];
      chip.appendChild(el("span", { className: "chip", text: "commit " + short(c.sha) + " \u2014 " + c.subject }));
    }
    render();
  }

  function visible(f) {
    return (!filters.code || f.code === filters.code) && (!filters.severity || f.severity === filters.severity) &&
      (!filters.table || f.table === filters.table) &&
      (!filters.path || (f.path || "").toLowerCase().indexOf(filters.path.toLowerCase()) >= 0) &&
      (selectedCommit === null || f.commit === selectedCommit);
  }

  function codeLink(code, name) {
    var link = el("a", { href: "#rule-" + code, className: "mono", text: code, title: "explain " + code });
    link.addEventListener("click", function () {
      var rule = document.getElementById("rule-" + code);
      if (rule) { rule.open = true; }
    });
    return el("span", {}, [link, el("div", { className: "muted small", text: name })]);
  }

  function locationCell(f) {
    if (!f.path) { return el("td", { className: "mono" }); }
    var cut = f.path.lastIndexOf("/");
    return el("td", { className: "location", title: where(f) }, [
      el("div", { className: "mono", text: f.path.slice(cut + 1) + (f.line ? ":" + f.line : "") }),
      el("div", { className: "muted small mono folder", text: cut > 0 ? f.path.slice(0, cut + 1) : "" })]);
  }

  function row(f) {
    var c = commitOf(f);
    var message = el("td", { className: "message" }, [el("div", { text: f.message })]);
    if (f.safe_path) { message.appendChild(el("div", { className: "safe", text: "safe path: " + f.safe_path })); }
    return el("tr", { className: "finding", "data-sha": c.sha, "data-code": f.code, "data-severity": f.severity,
      "data-table": f.table || "", "data-column": f.column || "", "data-path": f.path || "", "data-line": f.line || "" }, [
      el("td", { className: "commit" }, [el("span", { className: "mono", text: short(c.sha), title: c.sha }),
                    el("div", { className: "subject", text: c.subject, title: c.subject }),
                    el("div", { className: "muted small" }, [el("span", { className: "date", text: day(c.date), title: c.date }),
                      " \u00b7 ", el("span", { className: "author", text: c.author })])]),
      locationCell(f),
      el("td", {}, [codeLink(f.code, f.name)]),
      el("td", {}, [el("span", { className: "severity " + f.severity, text: f.severity })]),
      el("td", { className: "mono subject-cell", text: subject(f) }),
      message
    ]);
  }

  function header() {
    var tr = el("tr");
    COLUMNS.forEach(function (column, i) {
      if (column[3]) { return; }
      var th = el("th", { className: "sortable", "data-column": column[0], text: column[1], title: "sort" });
      th.addEventListener("click", function () {
        if (sortBy === i) { sortDesc = !sortDesc; } else { sortBy = i; sortDesc = false; }
        render();
      });
      tr.appendChild(th);
    });
    document.querySelector("#findings thead").appendChild(tr);
  }

  var rendered = false;

  function render() {
    if (rendered) { writeHash(); }
    var rows = data.findings.filter(visible);
    if (sortBy !== null) {
      var key = COLUMNS[sortBy][2];
      rows = rows.map(function (f, i) { return [key(f), i, f]; }).sort(function (a, b) {
        var order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
        return sortDesc && a[0] !== b[0] ? -order : order;
      }).map(function (x) { return x[2]; });
    }
    Array.prototype.forEach.call(document.querySelectorAll("#findings th"), function (th, i) {
      th.classList.toggle("sorted-asc", sortBy === i && !sortDesc);
      th.classList.toggle("sorted-desc", sortBy === i && sortDesc);
    });  // the shown columns come first in COLUMNS, so a header's index is its column's
    var body = document.querySelector("#findings tbody");
    body.textContent = "";
    rows.forEach(function (f) { body.appendChild(row(f)); });
    if (!rows.length) {
      body.appendChild(el("tr", {}, [el("td", { colspan: 6, className: "empty",
        text: data.findings.length ? "No finding matches the filters." : "No findings in this range." })]));
    }
    document.getElementById("shown").textContent = "showing " + rows.length + " of " + data.findings.length;
  }

  // --- suppressed and baselined ------------------------------------------------------------------
  function leftOut() {
    var box = document.getElementById("left-out");
    if (!data.left_out.length) {
      box.appendChild(el("p", { className: "empty", text: "Nothing was suppressed, baselined or ignored." }));
      return;
    }
    var table = el("table", { id: "left-out-table" }, [el("thead", {}, [el("tr", {}, ["Commit", "Code", "Table",
      "File:line", "Left out by", "Why"].map(function (h) { return el("th", { text: h }); }))])]);
    var body = el("tbody");
    data.left_out.forEach(function (f) {
      var c = commitOf(f);
      body.appendChild(el("tr", { className: "left-out", "data-code": f.code, "data-means": f.means }, [
        el("td", { className: "mono", text: short(c.sha), title: c.subject }),
        el("td", {}, [codeLink(f.code, f.name)]),
        el("td", { className: "mono subject-cell", text: subject(f) }),
        locationCell(f),
        el("td", { text: { directive: "suppression comment", baseline: "baseline", config: "configuration" }[f.means] || f.means }),
        el("td", { text: f.reason })
      ]));
    });
    table.appendChild(body);
    box.appendChild(el("div", { className: "scroll" }, [table]));
  }

  // --- per-table history -------------------------------------------------------------------------
  function history() {
    var box = document.getElementById("history");
    var tables = {};
    function entry(name, ci) {
      tables[name] = tables[name] || {};
      tables[name][ci] = tables[name][ci] || { changes: [], findings: [] };
      return tables[name][ci];
    }
    data.changes.forEach(function (ch) { entry(ch.table, ch.commit).changes.push(ch.text); });
    data.findings.forEach(function (f) { if (f.table) { entry(f.table, f.commit).findings.push(f); } });
    var names = Object.keys(tables).sort();
    if (!names.length) { box.appendChild(el("p", { className: "empty", text: "No table changed in this range." })); return; }
    names.forEach(function (name) {
      var commits = Object.keys(tables[name]).map(Number).sort(function (a, b) { return a - b; });
      var findings = commits.reduce(function (n, ci) { return n + tables[name][ci].findings.length; }, 0);
      var details = el("details", { className: "table-history", "data-table": name }, [el("summary", {}, [
        el("span", { className: "mono", text: name }),
        el("span", { className: "muted small", text: "  " + plural(commits.length, "commit") + ", " +
          plural(findings, "finding") })])]);
      var list = el("ol", { className: "events" });
      commits.forEach(function (ci) {
        var c = data.commits[ci], item = tables[name][ci];
        var li = el("li", { "data-sha": c.sha }, [el("span", { className: "mono", text: day(c.date) + " " + short(c.sha) }),
          " " + c.author + " \u2014 ", el("em", { text: c.subject })]);
        item.findings.forEach(function (f) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("span", { className: "badge", text: f.code, title: f.message,
            style: "background:" + COLOURS[f.family] + ";opacity:" + (0.45 + OPACITY[f.severity] * 0.55) }));
        });
        if (item.changes.length) {
          li.appendChild(el("ul", {}, item.changes.map(function (text) { return el("li", { text: text }); })));
        }
        list.appendChild(li);
      });
      details.appendChild(list);
      box.appendChild(details);
    });
  }

  // --- rules -------------------------------------------------------------------------------------
  function rules() {
    var box = document.getElementById("rules");
    Object.keys(data.explain).sort().forEach(function (code) {
      var text = data.explain[code];
      box.appendChild(el("details", { id: "rule-" + code }, [el("summary", { text: text.split("\n")[0] }),
        el("pre", { text: text })]));
    });
  }

  // Filters and sort order live in the address's fragment (#severity=error&sort=table&desc=1), so a
  // filtered view can be bookmarked or sent.
  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    ["code", "severity", "table", "path"].forEach(function (k) {
      if (params.get(k)) { filters[k] = params.get(k); document.getElementById("filter-" + k).value = params.get(k); }
    });
    var sort = COLUMNS.map(function (c) { return c[0]; }).indexOf(params.get("sort"));
    if (sort >= 0) { sortBy = sort; sortDesc = params.get("desc") === "1"; }
    var commit = params.get("commit");
    var ci = data.commits.map(function (c) { return c.sha; }).indexOf(commit || "");
    return ci >= 0 ? ci : null;
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) { if (filters[k]) { params.set(k, filters[k]); } });
    if (selectedCommit !== null) { params.set("commit", data.commits[selectedCommit].sha); }
    if (sortBy !== null) { params.set("sort", COLUMNS[sortBy][0]); if (sortDesc) { params.set("desc", "1"); } }
    try { window.history.replaceState(null, "", params.toString() ? "#" + params.toString() : window.location.pathname); }
    catch (ignored) { /* some browsers refuse for file: addresses; the view still works */ }
  }

  summary();
  timeline();
  filterBar();
  header();
  selectCommit(readHash());
  rendered = true;
  leftOut();
  history();
  rules();
  document.body.setAttribute("data-rendered", "true");
}());
