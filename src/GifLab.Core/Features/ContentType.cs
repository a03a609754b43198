namespace GifLab.Core.Features;

/// <summary>What a GIF shows, as far as its features tell (see <see cref="ContentTypeClassifier"/>).</summary>
public enum ContentType
{
    /// <summary>Continuous tone: photos, 3-D renders, gradients, paintings.</summary>
    Photo,
    /// <summary>Flat colour: vector and UI art, icons, spinners, diagrams, logos.</summary>
    Graphic,
    /// <summary>Drawn animation and illustration: emoticons, mascots, comic-style art.</summary>
    Cartoon,
    /// <summary>Text, screen captures and terminal recordings.</summary>
    Text,
    /// <summary>Pixel art: retro game screens and sprites on a small fixed palette.</summary>
    PixelArt,
}

/// <summary>The one place content-type names (stored in <c>gifs.content_type</c>, printed, exported) are defined.</summary>
public static class ContentTypes
{
    /// <summary>Every type in display order.</summary>
    public static IReadOnlyList<ContentType> All { get; } =
        [ContentType.Photo, ContentType.Graphic, ContentType.Cartoon, ContentType.Text, ContentType.PixelArt];

    public static string Name(this ContentType type) => type switch
    {
        ContentType.Photo => "photo",
        ContentType.Graphic => "graphic",
        ContentType.Cartoon => "cartoon",
        ContentType.Text => "text",
        ContentType.PixelArt => "pixel-art",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? name, out ContentType type)
    {
        foreach (var t in All)
        {
            if (t.Name() != name) continue;
            type = t;
            return true;
        }
        type = default;
        return false;
    }
}
