using System.Globalization;
using System.Net;
using System.Text;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Diagrams;

/// <summary>What to mark on a diagram beyond the flow itself.</summary>
public sealed record DiagramMarks(ISet<string> Recorded, ISet<string> Current, ISet<string> Done)
{
    public static readonly DiagramMarks None = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
}

/// <summary>Writes a laid-out flowchart as SVG: boxes with title and type, outcomes on the arrows, waits and recorded spans marked.</summary>
public static class DiagramSvg
{
    public static string Write(DiagramLayout layout, ActivityRegistry activities, DiagramMarks marks, string caption)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {F(layout.Width)} {F(layout.Height + 40)}" width="{F(layout.Width)}" height="{F(layout.Height + 40)}" role="img" aria-label="{E(caption)}" font-family="'Noto Sans CJK SC','Noto Sans SC',sans-serif">""");
        svg.Append("<title>").Append(E(caption)).Append("</title>");
        svg.Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker></defs>""");
        svg.Append("""<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>""");
        var right = layout.Boxes.Max(b => b.X + b.Width);
        var lane = 0;
        foreach (var edge in layout.Edges)
        {
            var from = layout.Box(edge.Connection.From);
            var to = layout.Box(edge.Connection.To);
            string path;
            double lx, ly;
            if (!edge.Backwards && to.Layer - from.Layer > 1)
            {
                // A long arrow runs down its own lane right of every box, so it never crosses one.
                var x = right + 18 + lane++ * 12;
                var (y1, y2) = (from.Y + from.Height / 2, to.Y + to.Height / 2);
                path = $"M{F(from.X + from.Width)},{F(y1)} L{F(x)},{F(y1)} L{F(x)},{F(y2)} L{F(to.X + to.Width)},{F(y2)}";
                (lx, ly) = (from.X + from.Width + 30, y1 - 4);
            }
            else if (edge.Backwards || to.Layer <= from.Layer)
            {
                var side = Math.Max(from.X + from.Width, to.X + to.Width) + 25;
                path = $"M{F(from.X + from.Width)},{F(from.Y + from.Height / 2)} C{F(side)},{F(from.Y + from.Height / 2)} {F(side)},{F(to.Y + to.Height / 2)} {F(to.X + to.Width)},{F(to.Y + to.Height / 2)}";
                (lx, ly) = (side - 4, (from.Y + to.Y) / 2 + from.Height / 2);
            }
            else
            {
                var (x1, y1, x2, y2) = (from.X + from.Width / 2, from.Y + from.Height, to.X + to.Width / 2, to.Y);
                path = $"M{F(x1)},{F(y1)} C{F(x1)},{F(y1 + 30)} {F(x2)},{F(y2 - 30)} {F(x2)},{F(y2)}";
                (lx, ly) = ((x1 + x2) / 2, (y1 + y2) / 2);
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="edge" data-from="{E(edge.Connection.From)}" data-to="{E(edge.Connection.To)}"><path d="{path}" fill="none" stroke="#475569" stroke-width="1.4" marker-end="url(#arrow)"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(lx)}" y="{F(ly)}" font-size="11" fill="#1e3a8a" text-anchor="middle" paint-order="stroke" stroke="#ffffff" stroke-width="3">{E(edge.Connection.Outcome)}</text></g>""");
        }
        foreach (var box in layout.Boxes)
        {
            var waits = activities.Find(box.Activity.Type)?.Descriptor.Waits == true;
            var current = marks.Current.Contains(box.Activity.Id);
            var fill = current ? "#fef3c7" : marks.Done.Contains(box.Activity.Id) ? "#ecfdf5" : waits ? "#eff6ff" : "#f8fafc";
            var stroke = current ? "#d97706" : waits ? "#2563eb" : "#64748b";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="node{(current ? " current" : "")}{(waits ? " waits" : "")}{(marks.Recorded.Contains(box.Activity.Id) ? " recorded" : "")}" data-id="{E(box.Activity.Id)}" data-x="{F(box.X)}" data-y="{F(box.Y)}" data-w="{F(box.Width)}" data-h="{F(box.Height)}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{F(box.X)}" y="{F(box.Y)}" width="{F(box.Width)}" height="{F(box.Height)}" rx="{(box.Activity.Type is "start" or "end" ? 29 : 8)}" fill="{fill}" stroke="{stroke}" stroke-width="{(current ? 3 : waits ? 2 : 1.2)}"{(waits ? " stroke-dasharray=\"6 3\"" : "")}/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(box.X + box.Width / 2)}" y="{F(box.Y + 24)}" font-size="12.5" font-weight="600" fill="#0f172a" text-anchor="middle">{E(Fit(box.Activity.Label, 34))}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(box.X + box.Width / 2)}" y="{F(box.Y + 43)}" font-size="11" fill="#475569" text-anchor="middle">{E(box.Activity.Type)}{(waits ? " · waits" : "")}</text>""");
            if (marks.Recorded.Contains(box.Activity.Id))
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(box.X + 12)}" cy="{F(box.Y + 12)}" r="5" fill="#dc2626"><title>recorded</title></circle>""");
            }
            svg.Append("</g>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="30" y="{F(layout.Height + 24)}" font-size="11" fill="#475569">● recorded   dashed border: waits for someone   orange: where the case is now</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }

    // Titles are mixed Chinese and Latin; count a Chinese character as two Latin ones.
    private static string Fit(string text, int room)
    {
        var width = 0;
        for (var i = 0; i < text.Length; i++)
        {
            width += text[i] < 128 ? 1 : 2;
            if (width > room)
            {
                return string.Concat(text.AsSpan(0, i), "…");
            }
        }
        return text;
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
