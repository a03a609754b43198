using System.Runtime.Intrinsics;

namespace GifLab.Core.Tests;

/// <summary>
/// The SIMD kernels pick the widest vectors the CPU offers (<see cref="Vector512"/>, then <see cref="Vector256"/>, then
/// scalar tails), so one test run exercises only the widest path the machine has. scripts/test.sh therefore runs the
/// tests in <see cref="Category"/> again with the wider instruction sets switched off (<c>DOTNET_EnableAVX512=0</c>,
/// then <c>DOTNET_EnableAVX2=0</c>) and names the pass in <see cref="PassVariable"/>, which <see cref="SimdWidthTests"/>
/// checks took effect (in .NET 10 <c>DOTNET_EnableAVX512F=0</c> no longer switches AVX-512 off).
/// </summary>
public static class SimdWidth
{
    /// <summary>Trait category of the tests that run once per SIMD width.</summary>
    public const string Category = "SimdKernel";

    /// <summary>Names the narrowed pass: <c>no-avx512</c> or <c>no-avx2</c>; unset in the ordinary run.</summary>
    public const string PassVariable = "GIFLAB_SIMD_PASS";
}

[Trait("Category", SimdWidth.Category)]
public sealed class SimdWidthTests
{
    [Fact]
    public void NarrowedPass_HasTheWiderVectorsSwitchedOff()
    {
        switch (Environment.GetEnvironmentVariable(SimdWidth.PassVariable))
        {
            case null or "":
                // Ordinary run: the widths nest (512-bit acceleration implies 256-bit).
                Assert.True(!Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated);
                break;
            case "no-avx512":
                Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX512=0 did not switch Vector512 off");
                break;
            case "no-avx2":
                Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 left Vector512 on");
                Assert.False(Vector256.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 did not switch Vector256 off");
                break;
            case var other:
                Assert.Fail($"unknown {SimdWidth.PassVariable}={other}");
                break;
        }
    }
}
