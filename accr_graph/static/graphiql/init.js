/*
 * ACCR Graph — GraphiQL bootstrap (part of ACCR Graph, MIT).
 *
 * Kept out of the HTML page so the page works under a strict
 * Content-Security-Policy (script-src 'self', no inline scripts).
 * Needs, loaded before it: react.production.min.js,
 * react-dom.production.min.js and graphiql.min.js (globals React,
 * ReactDOM and GraphiQL; see scripts/vendor_graphiql.sh).
 */
(function () {
  'use strict';

  var DEFAULT_QUERY = [
    '# ACCR Graph: Ctrl+Enter runs the query',
    '{',
    '  centres(first: 5) {',
    '    totalCount',
    '    edges {',
    '      node {',
    '        slug',
    '        name',
    '        country {',
    '          code',
    '          name',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  var container = document.getElementById('graphiql');
  // The endpoint can be overridden with data-endpoint on the container.
  var endpoint = (container && container.getAttribute('data-endpoint')) || '/graphql';

  if (!container || !window.React || !window.ReactDOM || !window.GraphiQL) {
    if (container) {
      container.textContent = 'GraphiQL failed to load (missing script files).';
    }
    throw new Error('ACCR Graph GraphiQL: React, ReactDOM or GraphiQL is not loaded');
  }

  var fetcher = window.GraphiQL.createFetcher({
    url: endpoint,
    // POST JSON to the same origin, sending the session cookie.
    fetch: function (input, init) {
      return window.fetch(input, Object.assign({}, init, { credentials: 'same-origin' }));
    }
  });

  var root = window.ReactDOM.createRoot(container);
  root.render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      isHeadersEditorEnabled: true,
      // Do not keep e.g. Authorization headers in localStorage.
      shouldPersistHeaders: false
    })
  );
})();
