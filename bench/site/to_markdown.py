#!/usr/bin/env python3
"""Renders a canonical normkit corpus as a Hugo content tree (Markdown with front matter), so the
site benchmark can build the same text with hugo and index it with pagefind.

usage: to_markdown.py CORPUS_DIR HUGO_SITE_DIR
"""
import os
import sys
import xml.etree.ElementTree as ET

NS = '{urn:normkit:document:1}'


def text_of(el):
    return ' '.join(''.join(el.itertext()).split())


def main(corpus, out):
    content = os.path.join(out, 'content', 'doc')
    layouts = os.path.join(out, 'layouts', '_default')
    os.makedirs(content, exist_ok=True)
    os.makedirs(layouts, exist_ok=True)
    with open(os.path.join(out, 'hugo.toml'), 'w') as f:
        f.write('baseURL = "http://127.0.0.1/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    with open(os.path.join(layouts, 'single.html'), 'w') as f:
        f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                '<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n')
    with open(os.path.join(layouts, 'list.html'), 'w') as f:
        f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                '<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n')
    count = 0
    for root, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if not name.endswith('.xml'):
                continue
            doc = ET.parse(os.path.join(root, name)).getroot()
            title = text_of(doc.find(NS + 'meta/' + NS + 'title'))
            lines = ['---', 'title: "%s"' % title.replace('"', '\\"'), '---', '']
            for el in doc.find(NS + 'body').iter():
                if el.tag == NS + 'section':
                    lines += ['## %s %s' % (el.get('number', ''), text_of(el.find(NS + 'title'))), '']
                elif el.tag == NS + 'provision':
                    badge = el.get('label') or el.get('kind', '').capitalize() + ' ' + el.get('number', '')
                    grade = ' (Class %s, Level %s)' % (el.get('class'), el.get('level')) if el.get('class') else ''
                    body = ' '.join(text_of(p) for p in el if p.tag != NS + 'title')
                    lines += ['**%s**%s %s' % (badge, grade, body), '']
            path = os.path.join(content, '%s-%s.md' % (doc.get('work'), doc.get('edition')))
            with open(path, 'w') as f:
                f.write('\n'.join(lines))
            count += 1
    print('to_markdown: %d documents -> %s' % (count, content))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
