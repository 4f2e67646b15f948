package ogc

import (
	"bytes"
	"encoding/json"
	"html/template"

	"github.com/gofiber/fiber/v2"
)

// The HTML rendering (f=html) is a convenience for people browsing the API: the document's
// title, description and links, a table of features when it has them, and the JSON itself. JSON
// is the contract; this page is not declared as a conformance class.
const pageHTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:1.5em;max-width:80em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>
</head><body>
<h1>{{.Title}}</h1>{{with .Doc.description}}<p>{{.}}</p>{{end}}
{{with .Doc.links}}<h2>链接</h2><ul>{{range .}}<li><a href="{{.href}}">{{or .title .href}}</a> <small>{{.rel}} {{.type}}</small></li>{{end}}</ul>{{end}}
{{with .Doc.features}}<h2>要素</h2><table><tr><th>id</th><th>属性</th></tr>
{{range .}}<tr><td>{{.id}}</td><td>{{range $k, $v := .properties}}{{if ne (printf "%v" $v) "<nil>"}}{{$k}}={{$v}}; {{end}}{{end}}</td></tr>{{end}}</table>{{end}}
<h2>JSON</h2><pre>{{.JSON}}</pre>
</body></html>`

// renderHTML shows a JSON document as a page.
func (s *Server) renderHTML(c *fiber.Ctx, title string, body []byte) error {
	tmpl, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]any{"Title": title, "Doc": doc, "JSON": pretty.String()}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(out.Bytes())
}
