namespace GifLab.Storage;

/// <summary>A name (pipeline, GIF, failure type) with a count, for <see cref="StoreStats"/>.</summary>
public sealed record NamedCount(string Name, long Count);
