using Spectre.Console.Rendering;

namespace PolyStream.Cli.Tui;

/// <summary>Renders its content at a fixed height: a <see cref="Spectre.Console.Layout"/> would otherwise take the whole terminal plus the line after it.</summary>
internal sealed class FixedHeight(IRenderable content, int height) : Renderable
{
    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        content.Render(options with { Height = height }, maxWidth);
}
