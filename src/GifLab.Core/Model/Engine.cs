namespace GifLab.Core.Model;

/// <summary>The 7 lossy compression engines of the data model (seed "Engine Enum (Expanded)").</summary>
public enum Engine
{
    Gifsicle,
    AnimatelyStandard,
    AnimatelyAdvanced,
    AnimatelyHard,
    ImageMagick,
    Ffmpeg,
    Gifski,
}

/// <summary>The one place engine names (the strings that leave the process) are defined.</summary>
public static class EngineNames
{
    /// <summary>All engines in the seed's order.</summary>
    public static IReadOnlyList<Engine> All { get; } =
        [Engine.Gifsicle, Engine.AnimatelyStandard, Engine.AnimatelyAdvanced, Engine.AnimatelyHard,
         Engine.ImageMagick, Engine.Ffmpeg, Engine.Gifski];

    /// <summary>The data-model name, e.g. <c>animately-standard</c>.</summary>
    public static string Name(this Engine engine) => engine switch
    {
        Engine.Gifsicle => "gifsicle",
        Engine.AnimatelyStandard => "animately-standard",
        Engine.AnimatelyAdvanced => "animately-advanced",
        Engine.AnimatelyHard => "animately-hard",
        Engine.ImageMagick => "imagemagick",
        Engine.Ffmpeg => "ffmpeg",
        Engine.Gifski => "gifski",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    /// <summary>Parses a V2 engine name; also accepts the V1 name <c>animately</c> (→ animately-standard).</summary>
    public static bool TryParse(string? name, out Engine engine)
    {
        switch (name)
        {
            case "gifsicle": engine = Engine.Gifsicle; return true;
            case "animately":
            case "animately-standard": engine = Engine.AnimatelyStandard; return true;
            case "animately-advanced": engine = Engine.AnimatelyAdvanced; return true;
            case "animately-hard": engine = Engine.AnimatelyHard; return true;
            case "imagemagick": engine = Engine.ImageMagick; return true;
            case "ffmpeg": engine = Engine.Ffmpeg; return true;
            case "gifski": engine = Engine.Gifski; return true;
            default: engine = default; return false;
        }
    }

    /// <summary>Parses a strict V2 name (V1 <c>animately</c> is rejected; use <see cref="MigrateV1"/>).</summary>
    public static Engine Parse(string name) =>
        name != "animately" && TryParse(name, out var e) ? e
            : throw new ArgumentException($"Unknown engine '{name}'. Expected one of: {string.Join(", ", All.Select(x => x.Name()))}.", nameof(name));

    /// <summary>V1 → V2 engine name migration (seed "Migration from V1"): <c>animately</c> → <c>animately-standard</c>.</summary>
    public static string MigrateV1(string v1Name) => v1Name == "animately" ? "animately-standard" : v1Name;
}
