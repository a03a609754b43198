namespace GifLab.Modeling;

/// <summary>
/// The prediction models shipped with GifLab: <c>models/</c> of the repository, copied next to the CLI when it is built
/// (and packed into the tool package), so <c>giflab predict</c> works on a fresh clone without a training step.
/// models/README.md is their model card.
/// </summary>
public static class ShippedModels
{
    /// <summary>The folder name, relative to the application's base directory and to the repository root.</summary>
    public const string FolderName = "models";

    /// <summary>Where the shipped models are: <c>models/</c> beside the running GifLab assemblies.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, FolderName);
}
