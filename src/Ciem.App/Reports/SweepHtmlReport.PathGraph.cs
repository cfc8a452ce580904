using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ciem.Core.Paths;
using Ciem.Core.Risk;

namespace Ciem.App.Reports;

/// <summary>
/// The risk section's graph of paths to administrator: the nodes and edges as JSON in
/// `&lt;script type="application/json" id="risk-paths-data"&gt;`, drawn by the bundled Cytoscape.js (<see cref="ReportAssets"/>,
/// inlined once, only in a report that has paths) into `#c-risk-paths`; the same paths as inline SVG inside `&lt;noscript&gt;`.
/// Names reach the page only as escaped JSON text, canvas labels and `textContent`: never as markup.
/// </summary>
public static partial class SweepHtmlReport
{
    private static readonly JsonSerializerOptions GraphJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The paths as one graph: a node per identity or goal (shared between paths) in the column of its first hop, and an edge
    /// per distinct step with its technique and certainty.
    /// </summary>
    private sealed class PathLayout
    {
        public PathLayout(IReadOnlyList<RiskRow> rows)
        {
            var sources = new HashSet<string>(StringComparer.Ordinal);
            var goals = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in rows)
            {
                var path = r.PathToAdministrator!;
                sources.Add(path.Steps[0].From);
                goals.Add(path.Goal);
                Place(path.Steps[0].From, 0);
                for (var i = 0; i < path.Steps.Length; i++)
                {
                    // A last step that changes the identity itself (writing its own policy) is what makes it the goal.
                    var s = path.Steps[i];
                    if (i == path.Steps.Length - 1 && s.From == s.To) { s = s with { To = path.Goal }; }
                    Place(s.To, Column[s.From] + 1);
                    if (!Edges.Contains(s)) { Edges.Add(s); }
                }
            }
            Kinds = Order.ToDictionary(n => n, n => sources.Contains(n) ? "source" : goals.Contains(n) ? "goal" : "step",
                StringComparer.Ordinal);
            Rows = Column.Values.GroupBy(c => c).Max(g => g.Count());
            Title = string.Join("; ", rows.Select(r => r.Name + ": "
                + string.Join(" → ", r.PathToAdministrator!.Steps.Select(s => s.Technique))));
        }

        /// <summary>Nodes in the order they were first met.</summary>
        public List<string> Order { get; } = [];

        public Dictionary<string, int> Column { get; } = new(StringComparer.Ordinal);

        /// <summary>`source` (an identity whose path is drawn), `goal` (an administrator goal) or `step`.</summary>
        public Dictionary<string, string> Kinds { get; }

        public List<RiskPathStep> Edges { get; } = [];

        /// <summary>The most nodes in one column.</summary>
        public int Rows { get; }

        /// <summary>Every drawn identity with its techniques, for screen readers.</summary>
        public string Title { get; }

        private void Place(string node, int column)
        {
            if (Column.TryAdd(node, column)) { Order.Add(node); }
        }
    }

    private sealed partial class Page
    {
        /// <summary>True once the risk section drew a graph: the report then inlines Cytoscape.js and the graph's script.</summary>
        private bool _pathGraph;

        private void PathFigure(IReadOnlyList<RiskRow> rows)
        {
            var layout = new PathLayout(rows);
            var height = Math.Clamp((layout.Rows * 46) + 72, 200, 900);
            _sb.Append("<figure><h3>").Append(E($"Paths to administrator of the {rows.Count} riskiest identities that can become one"))
                .Append("</h3>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"graph\" id=\"c-risk-paths\" role=\"img\" style=\"height:{height}px\" ")
                .Append("aria-label=\"").Append(E(layout.Title)).Append("\" hidden></div>")
                .Append("<p class=\"graph-info\" id=\"c-risk-paths-info\" aria-live=\"polite\" hidden>")
                .Append("Drag to pan, scroll to zoom; point at or click a box or an arrow for its full name and technique.</p>")
                .Append("<noscript>").Append(PathSvg(layout)).Append("</noscript>")
                .Append("<figcaption>Each box is an identity (blue) or an administrator goal (red); each arrow a technique, dashed ")
                .Append("when not certain.</figcaption></figure>\n")
                .Append("<script type=\"application/json\" id=\"risk-paths-data\">").Append(PathData(layout)).Append("</script>\n");
            _pathGraph = true;
        }

        /// <summary>The scripts of the graph, after the page: the library once, then ours.</summary>
        private void PathGraphScripts()
        {
            if (!_pathGraph) { return; }
            _sb.Append("<script>").Append(ReportAssets.Cytoscape).Append("</script>\n")
                .Append("<script>").Append(PathGraphScript).Append("</script>\n");
        }

        /// <summary>
        /// The graph's JSON with every `&lt;`, `&gt;` and `&amp;` escaped (`\u003c` …), so that no name can end the script
        /// element it is written in.
        /// </summary>
        private static string PathData(PathLayout layout)
        {
            var ids = layout.Order.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => $"n{x.i}", StringComparer.Ordinal);
            var json = JsonSerializer.Serialize(new
            {
                nodes = layout.Order.Select(n => new { id = ids[n], label = Short(Label(n), 34), name = n, kind = layout.Kinds[n] }),
                edges = layout.Edges.Select((s, i) => new
                {
                    id = $"e{i}", source = ids[s.From], target = ids[s.To], label = Short(s.Technique, 40), technique = s.Technique,
                    certainty = PathJson.CertaintyName(s.Certainty), certain = s.Certainty == EdgeCertainty.Certain,
                }),
            }, GraphJsonOptions);
            return json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal)
                .Replace("&", "\\u0026", StringComparison.Ordinal);
        }

        /// <summary>What a box shows: an ARN's last segment (the user's or role's name), any other node whole.</summary>
        private static string Label(string node) =>
            node.StartsWith("arn:", StringComparison.Ordinal) && node.LastIndexOf('/') is > 0 and var slash ? node[(slash + 1)..] : node;

        /// <summary>The graph without scripts: boxes in the column of their first hop, arrows labelled with their technique.</summary>
        private static string PathSvg(PathLayout layout)
        {
            const int boxW = 210, boxH = 34, colW = 300, rowH = 56, pad = 12;
            var perColumn = new Dictionary<int, int>();
            var at = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
            foreach (var n in layout.Order)
            {
                var c = layout.Column[n];
                var k = perColumn.GetValueOrDefault(c);
                perColumn[c] = k + 1;
                at[n] = (pad + c * colW, pad + k * rowH);
            }
            var width = pad * 2 + (layout.Column.Values.Max() * colW) + boxW;
            var height = pad * 2 + (perColumn.Values.Max() * rowH);
            var svg = new StringBuilder();
            svg.Append("<svg class=\"chart\" id=\"c-risk-paths-svg\" role=\"img\" ")
                .Append(CultureInfo.InvariantCulture, $"viewBox=\"0 0 {width} {height}\" ")
                .Append(CultureInfo.InvariantCulture, $"width=\"{width}\" height=\"{height}\" aria-labelledby=\"c-risk-paths-t\">")
                .Append("<title id=\"c-risk-paths-t\">").Append(E(layout.Title)).Append("</title>")
                .Append("<defs><marker id=\"risk-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ")
                .Append("markerWidth=\"7\" markerHeight=\"7\" ")
                .Append("orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6b7280\"/></marker></defs>");
            foreach (var (from, to, technique, certainty) in layout.Edges)
            {
                var (x1, y1) = (at[from].X + boxW, at[from].Y + (boxH / 2));
                var (x2, y2) = (at[to].X, at[to].Y + (boxH / 2));
                if (x2 <= x1) { x2 = at[to].X + boxW; x1 = at[from].X + boxW; }
                var dash = certainty == EdgeCertainty.Certain ? "" : " stroke-dasharray=\"5 4\"";
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"#6b7280\"")
                    .Append(dash).Append(" marker-end=\"url(#risk-arrow)\"><title>")
                    .Append(E($"{technique} ({PathJson.CertaintyName(certainty)})"))
                    .Append("</title></line>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{(x1 + x2) / 2}\" y=\"{((y1 + y2) / 2) - 4}\" font-size=\"10\" ")
                    .Append("text-anchor=\"middle\" fill=\"#374151\">").Append(E(Short(technique, 40))).Append("</text>");
            }
            foreach (var n in layout.Order)
            {
                var (x, y) = at[n];
                var fill = layout.Kinds[n] switch { "goal" => "#fee2e2", "source" => "#e0e7ff", _ => "#f3f4f6" };
                svg.Append(CultureInfo.InvariantCulture, $"<g><title>{E(n)}</title><rect x=\"{x}\" y=\"{y}\" width=\"{boxW}\" ")
                    .Append(CultureInfo.InvariantCulture, $"height=\"{boxH}\" rx=\"6\" fill=\"{fill}\" stroke=\"#9ca3af\"/>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 8}\" y=\"{y + 21}\" font-size=\"11\" fill=\"#111827\">")
                    .Append(E(Short(Label(n), 32))).Append("</text></g>");
            }
            return svg.Append("</svg>").ToString();
        }
    }

    /// <summary>
    /// Builds the graph from `#risk-paths-data` into `#c-risk-paths`: a left-to-right layered layout (breadth-first from the
    /// identities in a box as high as the container is wide, less a box's width, turned on its side), dashed edges when not
    /// certain, pan and zoom, and the full name or technique of what is pointed at or clicked in `#c-risk-paths-info`
    /// (textContent). Boxes of one column closer than 46 pixels (the layout packs a column it fills) are spread apart.
    /// The instance is `window.ciemRiskGraph`; the container's `data-nodes`, `data-edges` and `data-dashed`
    /// say what was drawn.
    /// </summary>
    private const string PathGraphScript = """
(function(){
  var box=document.getElementById('c-risk-paths'),data=document.getElementById('risk-paths-data');
  var info=document.getElementById('c-risk-paths-info');
  if(!box||!data||typeof cytoscape!=='function')return;
  var g=JSON.parse(data.textContent),els=[];
  g.nodes.forEach(function(n){els.push({group:'nodes',data:{id:n.id,label:n.label,name:n.name,kind:n.kind},classes:n.kind});});
  g.edges.forEach(function(e){els.push({group:'edges',classes:e.certain?'certain':'uncertain',
    data:{id:e.id,source:e.source,target:e.target,label:e.label,technique:e.technique,certainty:e.certainty}});});
  box.hidden=false;info.hidden=false;
  var cy=cytoscape({container:box,elements:els,minZoom:0.2,maxZoom:3,boxSelectionEnabled:false,autoungrabify:true,
    style:[
      {selector:'node',style:{shape:'round-rectangle',width:200,height:34,label:'data(label)','font-size':11,color:'#111827',
        'text-valign':'center','text-halign':'center','text-wrap':'ellipsis','text-max-width':188,'background-color':'#f3f4f6',
        'border-width':1,'border-color':'#9ca3af'}},
      {selector:'node.source',style:{'background-color':'#e0e7ff','border-color':'#1d4ed8'}},
      {selector:'node.goal',style:{'background-color':'#fee2e2','border-color':'#b91c1c'}},
      {selector:'edge',style:{width:1.5,'curve-style':'bezier','line-color':'#6b7280','target-arrow-color':'#6b7280',
        'target-arrow-shape':'triangle',label:'data(label)','font-size':9,color:'#374151','text-rotation':'autorotate',
        'text-background-color':'#fff','text-background-opacity':0.85,'text-background-padding':2}},
      {selector:'edge.uncertain',style:{'line-style':'dashed','line-dash-pattern':[6,4]}},
      {selector:':selected',style:{'border-width':2,'line-color':'#2563eb','target-arrow-color':'#2563eb'}}],
    layout:{name:'breadthfirst',directed:true,roots:sources(g),avoidOverlap:false,spacingFactor:1,animate:false,fit:true,padding:16,
      boundingBox:{x1:0,y1:0,w:Math.max(box.clientHeight-60,1),h:Math.max(box.clientWidth-240,1)},
      transform:function(node,p){return {x:p.y,y:p.x};}}});
  spread(46);
  if(cy.zoom()>1.2){cy.zoom(1.2);cy.center();}
  function sources(d){return d.nodes.filter(function(n){return n.kind==='source';}).map(function(n){return '#'+n.id;}).join(',');}
  function spread(min){
    var cols={},gap=Infinity;
    cy.nodes().forEach(function(n){var x=Math.round(n.position('x'));(cols[x]=cols[x]||[]).push(n.position('y'));});
    Object.keys(cols).forEach(function(x){var ys=cols[x].sort(function(a,b){return a-b;});
      for(var i=1;i<ys.length;i++){gap=Math.min(gap,ys[i]-ys[i-1]);}});
    if(gap<min){var f=min/gap;cy.nodes().positions(function(n){return {x:n.position('x'),y:n.position('y')*f};});cy.fit(undefined,16);}
  }
  function show(t){var d=t.data();info.textContent=t.isNode()?d.name:(cy.getElementById(d.source).data('name')+' → '+
    cy.getElementById(d.target).data('name')+': '+d.technique+' ('+d.certainty+')');box.title=info.textContent;}
  cy.on('mouseover tap','node,edge',function(e){show(e.target);});
  box.setAttribute('data-nodes',String(cy.nodes().length));
  box.setAttribute('data-edges',String(cy.edges().length));
  box.setAttribute('data-dashed',String(cy.edges().filter(function(e){return e.style('line-style')==='dashed';}).length));
  window.ciemRiskGraph=cy;
})();
""";
}
