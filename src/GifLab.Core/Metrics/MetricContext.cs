using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// Everything one metric sees during one background pass: the prepared original, the candidate
/// flattened on the same background, and the frame pairing.
/// </summary>
public sealed class MetricContext
{
    private long[]? _sse;
    private FlatBox?[]? _candidateFlat;
    private int[]? _representatives;
    private sbyte[]? _identical;

    internal MetricContext(PreparedReference reference, ReferenceView referenceView, FrameSequence candidate,
                           FrameView candidateView, int[] pairs, MetricOptions options, int[]? representatives = null)
    {
        _representatives = representatives;
        Reference = reference;
        ReferenceView = referenceView;
        Candidate = candidate;
        CandidateView = candidateView;
        Pairs = pairs;
        Options = options;
    }

    public PreparedReference Reference { get; }
    internal ReferenceView ReferenceView { get; }
    public FrameSequence Candidate { get; }
    internal FrameView CandidateView { get; private set; }

    /// <summary>Hands the flattened candidate back once this pass's pair metrics are done (the summary metrics read no
    /// frames).</summary>
    internal void DropCandidateView()
    {
        CandidateView?.ReturnArrays();
        CandidateView = null!;
    }

    /// <summary>Candidate frame index for each original frame (see <see cref="FramePairing"/>).</summary>
    public IReadOnlyList<int> Pairs { get; }

    public MetricOptions Options { get; }

    /// <summary>Original file bytes / compressed file bytes when the caller gave sizes.</summary>
    public double? CompressionRatio { get; internal set; }

    /// <summary>1 for opaque pairs, 2 when the white and black passes both ran.</summary>
    public int BackgroundPasses { get; internal set; } = 1;
    public int Width => ReferenceView.Frames.Width;
    public int Height => ReferenceView.Frames.Height;
    public int PairCount => Pairs.Count;

    /// <summary>Background of this pass (255 white, 0 black).</summary>
    public byte Background => ReferenceView.Frames.Background;

    /// <summary>The first pair whose two frames are byte-identical to pair <paramref name="i"/>'s (≤ i; see
    /// <see cref="FramePairing.Representatives"/>). Per-pair metrics compute pair i only when this is i.</summary>
    public int Representative(int i)
    {
        _representatives ??= FramePairing.Representatives(Reference.Frames.RunStarts, Candidate.RunStarts, Pairs as int[] ?? [.. Pairs]);
        return _representatives[i];
    }

    /// <summary>
    /// True when pair <paramref name="i"/>'s two frames are identical on this pass's background (RGB bytes equal).
    /// SSIM, MS-SSIM and SSIMULACRA 2 of identical inputs are exactly 1, 1 and 100 in our kernels (proved for every
    /// size class by <c>IdenticalInputTests</c>), and squared errors exactly 0, so those metrics skip such pairs;
    /// lossless and near-lossless outputs of flat-colour GIFs are mostly such pairs.
    /// </summary>
    public bool PairIdentical(int i)
    {
        if (Options.ComputeIdenticalPairs) return false;
        _identical ??= new sbyte[PairCount];
        int r = Representative(i);
        if (_identical[r] == 0)
            _identical[r] = (sbyte)(ReferenceEquals(ReferenceRgb(r), CandidateRgb(r)) || ReferenceRgb(r).AsSpan().SequenceEqual(CandidateRgb(r)) ? 1 : -1);
        return _identical[r] > 0;
    }

    /// <summary>
    /// Per-pair values of a metric that is a function of one pair's two frames, for the pairs <paramref name="pairs"/>
    /// lists (every pair, or a sample), written once for every such metric: a pair byte-identical to an earlier listed
    /// pair (same <see cref="Representative"/>) reuses its value; a pair whose two frames are identical
    /// (<see cref="PairIdentical"/>) takes <paramref name="identical"/>() when given (the metric's exact value for
    /// identical inputs); every other pair <paramref name="compute"/>(i), in list order. Result k belongs to pairs[k].
    /// </summary>
    internal T[] PerPair<T>(IReadOnlyList<int> pairs, Func<int, T> compute, Func<T>? identical = null)
    {
        var values = new T[pairs.Count];
        var first = new int[PairCount]; // representative → 1 + index in `values` of its first listed pair (0: none yet)
        for (int k = 0; k < values.Length; k++)
        {
            int i = pairs[k], r = Representative(i);
            if (first[r] > 0) { values[k] = values[first[r] - 1]; continue; }
            first[r] = k + 1;
            values[k] = identical is not null && PairIdentical(i) ? identical() : compute(i);
        }
        return values;
    }

    /// <summary>
    /// For metrics that add per-pixel or per-block terms of every pair into running sums (the order of the additions
    /// fixes the rounding): the terms of the last computed pair, so that a later listed pair byte-identical to it
    /// (same <see cref="Representative"/>) adds the same terms in the same order instead of recomputing them.
    /// </summary>
    internal sealed class RepeatLog<T>(MetricContext context, IReadOnlyList<int> pairs)
    {
        private int _representative = -1;

        /// <summary>The terms the last computed pair added, in order (logged only when <see cref="Logging"/>).</summary>
        public List<T> Terms { get; } = [];

        /// <summary>Whether the pair being computed must log its terms: the next listed pair repeats it.</summary>
        public bool Logging { get; private set; }

        /// <summary>True when listed pair <c>pairs[k]</c> repeats the last computed pair (replay <see cref="Terms"/>);
        /// otherwise starts pair <c>pairs[k]</c>, which the caller computes (logging its terms when
        /// <see cref="Logging"/>).</summary>
        public bool Repeats(int k)
        {
            int r = context.Representative(pairs[k]);
            if (r == _representative) return true;
            _representative = r;
            Terms.Clear();
            Logging = k + 1 < pairs.Count && context.Representative(pairs[k + 1]) == r;
            return false;
        }
    }

    /// <summary>
    /// For each canvas row, whether pair <paramref name="i"/>'s two luma rows equal pair <paramref name="previous"/>'s
    /// bit for bit (both frames). Compared once per pair and shared: SSIM and MS-SSIM both refilter only the rows whose
    /// window reads a changed row (<see cref="Kernels.StructuralSimilarity.RowSums"/>).
    /// </summary>
    internal ReadOnlySpan<bool> UnchangedRows(int i, int previous)
    {
        _unchangedRows ??= new (int, bool[])?[PairCount];
        if (_unchangedRows[i] is { } known && known.Item1 == previous) return known.Item2;
        var rows = new bool[Height];
        Kernels.StructuralSimilarity.CleanRows(ReferenceLuma(i), ReferenceLuma(previous), CandidateLuma(i), CandidateLuma(previous),
            Width, Height, rows);
        _unchangedRows[i] = (previous, rows);
        return rows;
    }

    private (int, bool[])?[]? _unchangedRows;

    /// <summary>Candidate-side derived data of pair <paramref name="i"/> (histogram, edge map…): the reference's own
    /// value when the two frames are identical (the same function of the same bytes), else <paramref name="build"/>().
    /// Both are read-only by contract.</summary>
    internal T CandidateDerived<T>(int i, T referenceValue, Func<T> build) => PairIdentical(i) ? referenceValue : build();

    internal byte[] ReferenceRgb(int i) => ReferenceView.Frames.Rgb[i];
    internal byte[] CandidateRgb(int i) => CandidateView.Rgb[Pairs[i]];
    internal float[] ReferenceLuma(int i) => ReferenceView.Frames.Luma[i];
    internal float[] CandidateLuma(int i) => CandidateView.Luma[Pairs[i]];

    /// <summary>Flat-content analysis of the reference frame and of its paired candidate frame (cached).</summary>
    internal double? FlatScore(int i, double identity, double worst)
    {
        var reference = ReferenceCached("flat", i, () => new FlatBox(FlatContent.Analyse(ReferenceRgb(i)))).Value;
        _candidateFlat ??= new FlatBox?[CandidateView.Count];
        int j = Pairs[i];
        var candidate = (_candidateFlat[j] ??= PairIdentical(i) ? new FlatBox(reference) : new FlatBox(FlatContent.Analyse(CandidateView.Rgb[j]))).Value;
        return FlatContent.Score(reference, candidate, identity, worst);
    }

    /// <summary>
    /// Per-pair values of a secondary metric over <see cref="SampledPairs"/>: a pair where flat content decides
    /// (<see cref="FlatScore"/>, identity 1, worst 0) takes that score, every other pair <paramref name="measure"/>(i);
    /// pairs byte-identical to an earlier listed pair reuse its value (<see cref="PerPair{T}"/>).
    /// </summary>
    internal double?[] SampledWithFlatFallback(Func<int, double?> measure) =>
        PerPair(SampledPairs(), i => FlatScore(i, 1, 0) ?? measure(i));

    /// <summary>
    /// Per-frame derived data of the original (<see cref="ReferenceView.Cached{T}"/>) for original frame
    /// <paramref name="i"/>, shared by every frame of its run of identical frames (the first frame of the run builds
    /// it: the same function of the same bytes). <paramref name="build"/> may read frame <paramref name="i"/>.
    /// </summary>
    internal T ReferenceCached<T>(string key, int i, Func<T> build) where T : class =>
        ReferenceView.Cached(key, Options.ComputeIdenticalPairs ? i : Reference.Frames.RunStarts[i], build);

    /// <summary>Every pair index, 0 … <see cref="PairCount"/> − 1.</summary>
    internal int[] AllPairs() => FramePairing.UniformSample(PairCount, int.MaxValue);

    /// <summary>Pairs compared by the sampled metrics: at most <paramref name="max"/> uniformly spaced
    /// original frames, or every pair when <see cref="MetricOptions.Exact"/>.</summary>
    public int[] SampledPairs(int max = ExtrasMaxPairs) =>
        FramePairing.UniformSample(PairCount, Options.Exact ? int.MaxValue : max);

    /// <summary>Default number of pairs for the secondary per-frame metrics (fsim, gmsd, chist, edge,
    /// texture, sharpness) and the block artefact scores.</summary>
    public const int ExtrasMaxPairs = 10;

    /// <summary>Σ(a−b)² over R, G, B for every pair (computed once per pass, shared by psnr/mse/rmse).</summary>
    internal long[] SumSquaredErrors()
    {
        return _sse ??= PerPair(AllPairs(), i => Kernels.SquaredError.Sum(ReferenceRgb(i), CandidateRgb(i)), () => 0L);
    }
}
