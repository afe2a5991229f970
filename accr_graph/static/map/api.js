/* ACCR Graph staff pages: a tiny GraphQL client and DOM helper shared by the map and the
 * dashboard. The pages are clients of the public API like any other tool: POST /graphql with
 * the browser's session cookie (same origin). */
"use strict";

window.accr = (function () {
  async function gql(query, variables) {
    const response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      // The page's language (saved preference, switch, browser), not only the browser's: the
      // API reads Accept-Language, and reasons and names must match the page around them.
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "Accept-Language": document.documentElement.lang || "fr",
      },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length) {
      throw new Error(body.errors.map(function (e) { return e.message; }).join("; "));
    }
    return body.data;
  }

  // el("li", {class: "x"}, "text", child...) -> an element; text is never parsed as HTML.
  function el(tag, attrs) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) child.forEach(function (c) { if (c) node.append(c); });
      else node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // A colour per cluster id (Tableau 20 without the greys); unclustered centres are grey.
  const PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
    "#dbdb8d", "#9edae5",
  ];
  function clusterColour(id) {
    return id === null || id === undefined ? "#9a9a9a" : PALETTE[id % PALETTE.length];
  }

  return { gql: gql, el: el, clusterColour: clusterColour, PALETTE: PALETTE };
})();
