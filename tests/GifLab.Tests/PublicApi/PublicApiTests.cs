using System.Reflection;
using System.Xml.Linq;
using GifLab.Compression;
using GifLab.Core.Metrics;
using GifLab.Tests.Engines;
using PublicApiGenerator;

namespace GifLab.Tests.PublicApi;

/// <summary>
/// The public surface of the packages changes only on purpose: the surface of GifLab.dll and GifLab.Core.dll is compared
/// with the approved text beside this file. After an intended change, copy the <c>*.received.txt</c> the failure names
/// over the <c>*.approved.txt</c> and commit it with the change. The front door (docs/library.md) is fully documented.
/// </summary>
public sealed class PublicApiTests
{
    private static string Folder => Path.Combine(TestEnvironment.RepoRoot, "tests", "GifLab.Tests", "PublicApi");

    public static TheoryData<string> Assemblies => new() { "GifLab", "GifLab.Core" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicSurface_MatchesTheApprovedText(string name)
    {
        var assembly = name == "GifLab" ? typeof(GifCompressor).Assembly : typeof(MetricSuite).Assembly;
        // Compiler-generated state-machine attributes name private generated types (…d__12), which change when an unrelated
        // private method is added: they are not surface.
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            ExcludeAttributes =
            [
                "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
                "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
                "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
            ],
        }).ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(Folder, $"{name}.approved.txt");
        var receivedPath = Path.Combine(Folder, $"{name}.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (api == approved)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, api);
        Assert.Fail($"The public API of {name} changed. If intended: cp {receivedPath} {approvedPath}");
    }

    /// <summary>The front door a library user starts from.</summary>
    private static readonly Type[] FrontDoor =
    [
        typeof(GifCompressor), typeof(EngineSetting), typeof(QualityFloor), typeof(FloorOptions), typeof(CompressionAttempt),
        typeof(CompressionResult), typeof(GifQuality), typeof(CompressionManifest), typeof(ManifestEntry),
    ];

    [Fact]
    public void FrontDoor_EveryPublicMember_HasAnXmlComment()
    {
        var xml = Path.ChangeExtension(typeof(GifCompressor).Assembly.Location, ".xml");
        Assert.True(File.Exists(xml), $"{xml} missing: GenerateDocumentationFile is off");
        var documented = XDocument.Load(xml).Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();
        var missing = new List<string>();
        foreach (var type in FrontDoor)
        {
            if (!documented.Contains("T:" + type.FullName)) missing.Add(type.FullName!);
            foreach (var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (m is MethodInfo { IsSpecialName: true } || m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))) continue;
                if (m.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "<Clone>$" or "EqualityContract" or "PrintMembers") continue;
                var prefix = m switch { PropertyInfo => "P:", MethodInfo or ConstructorInfo => "M:", FieldInfo => "F:", _ => "?" };
                var key = prefix + type.FullName + "." + (m is ConstructorInfo ? "#ctor" : m.Name);
                // Record primary-constructor properties are documented by their <param> tags.
                if (m is PropertyInfo && type.GetConstructors().Any(c => c.GetParameters().Any(p => p.Name == m.Name))) continue;
                if (m is ConstructorInfo) continue; // record constructors carry the type's <param> documentation
                if (!documented.Any(d => d == key || d.StartsWith(key + "(", StringComparison.Ordinal))) missing.Add(key);
            }
        }
        Assert.True(missing.Count == 0, "undocumented: " + string.Join(", ", missing));
    }
}
