// Hostile inputs for both sanitizers (DOMPurify and the browser's Sanitizer
// API), and one check of the output for all of them: nothing that can run
// script, load a frame, restyle the page or submit anywhere may survive.
export const HOSTILE_VECTORS: string[] = [
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=1></circle></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><animate attributeName="href" values="javascript:alert(1)"/><a><text>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  jAvAsCrIpT:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<iframe src="https://evil.test"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="https://evil.test/x.swf"></object><embed src="https://evil.test/x.swf">',
  '<form action="https://evil.test"><input name=a><button formaction="javascript:alert(1)">go</button></form>',
  '<style>body{display:none}</style><p style="position:fixed;top:0">x</p>',
  '<link rel=stylesheet href="https://evil.test/x.css"><meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/">',
  '<div id="x" class="y" onclick="alert(1)" onmouseover="alert(1)">x</div>',
  '<p>ok</p><!--<img src=x onerror=alert(1)>-->',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<select><iframe src="https://evil.test"></iframe></select>',
  '<table><td><form><input></form></td></table><img src="x" onerror="alert(1)">',
  '<a href="#" ping="https://evil.test/track">x</a>',
  '<video poster="javascript:alert(1)"><source src="x" onerror="alert(1)"></video>',
  '<details open ontoggle=alert(1)>x</details>',
  '<p data-x="1" data-bind="alert(1)">x</p>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src="x" srcset="https://evil.test/a.png 1x" onerror="alert(1)">',
  '<a href="https://ok.test/?utm_source=x" target="_self">ok</a>',
  '<pre class="hl language-yaml" id="p1" style="x"><code class="language-yaml" onclick="alert(1)">a: 1</code></pre>',
];

/** What must never be in sanitized output; returns the reasons found (empty: clean). */
export function dangers(html: string, doc: Document): string[] {
  const root = doc.createElement('div');
  root.innerHTML = html; // inert: a detached element in a document that runs no script here
  const out: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    const name = el.localName;
    if (['script', 'iframe', 'frame', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'button', 'select', 'textarea', 'template', 'noscript'].includes(name)) out.push(`<${name}>`);
    for (const a of el.attributes) {
      const v = a.value.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
      if (a.name.startsWith('on')) out.push(`${name}[${a.name}]`);
      if (['style', 'srcdoc', 'formaction', 'ping'].includes(a.name)) out.push(`${name}[${a.name}]`);
      if (/^(javascript|vbscript|data:text\/html)/.test(v)) out.push(`${name}[${a.name}=${v.slice(0, 20)}]`);
      if (a.name.startsWith('data-')) out.push(`${name}[${a.name}]`);
    }
    if (name === 'a' && el.hasAttribute('href') && el.getAttribute('target') !== '_blank') out.push('a without target=_blank');
  }
  return out;
}
