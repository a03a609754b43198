using BenchmarkDotNet.Running;
using GifLab.Benchmarks;

if (args is ["pair", var original, var candidate, ..])
{
    PairProfile.Run(original, candidate, args.Length > 3 ? int.Parse(args[3]) : 20);
    return;
}
if (args is ["changes", var changesDir])
{
    FrameChangeSurvey.Run(changesDir);
    return;
}
if (args is ["quick"])
{
    MetricQuickTiming.Run();
    return;
}
if (args is ["kernels", ..])
{
    KernelProfile.Run(args.Length > 2 ? int.Parse(args[1]) : 500, args.Length > 2 ? int.Parse(args[2]) : 500);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
