using System.Reflection;
using System.Reflection.Emit;
using Ciem.Cli;

namespace Ciem.Cli.Tests.Architecture;

/// <summary>
/// Dependency rules between namespaces of one assembly, read from the compiled code: every type a namespace's types
/// name in their signatures, fields, base types and method bodies (the IL's tokens, lambdas and state machines
/// included), so a reference cannot hide in a method body.
/// </summary>
public sealed class NamespaceRulesTests
{
    private static readonly Assembly Cli = typeof(CiemApp).Assembly;

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    [Fact]
    public void Reports_ReferenceNoCommandsType()
    {
        // Given the report renderers of the CLI
        // When every type they reference is listed
        var fromCommands = ReferencedTypes(Cli, "Ciem.Cli.Reports")
            .Where(t => InNamespace(t, "Ciem.Cli.Commands"))
            .Select(t => t.FullName ?? t.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Then none lives in Commands (the vocabulary reports share with commands is in Core or App)
        Assert.Empty(fromCommands);
    }

    [Fact]
    public void ReferencedTypes_CommandsUsingReports_FindsTheReference()
    {
        // Given the commands, whose sweep and gate render through Reports (the near-miss twin of the rule above)
        // When the types they reference are listed
        var fromReports = ReferencedTypes(Cli, "Ciem.Cli.Commands")
            .Where(t => InNamespace(t, "Ciem.Cli.Reports")).ToArray();

        // Then the scan sees those references, so an empty result above is not a blind scan
        Assert.Contains(fromReports, t => t.Name == "CheckText");
    }

    [Fact]
    public void Commands_ReferenceNoOtherCommand()
    {
        // Given every command of the CLI (a type of Commands named …Command or …Commands, its nested types included)
        // When the command types each one references are listed
        var pairs = CommandTypes()
            .SelectMany(c => ReferencedTypes(Cli, t => Outermost(t) == c).Select(Outermost).Where(IsCommand).Where(t => t != c)
                .Select(t => $"{c.Name} -> {t.Name}"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Then none calls another (shared workflow is in App, shared options and rendering in neutral CLI types)
        Assert.Empty(pairs);
    }

    [Fact]
    public void ReferencedTypes_OneCommand_SeesItsHelpersInTheSameNamespace()
    {
        // Given `ciem propose`, which delivers through PullRequestDelivery (a helper in Commands, not a command)
        var propose = CommandTypes().Single(t => t.Name == "ProposeCommand");

        // When the types it references are listed by the per-type scan the rule above uses
        var referenced = ReferencedTypes(Cli, t => Outermost(t) == propose).Select(Outermost).ToHashSet();

        // Then the helper is seen (so an empty list of pairs is not a blind scan) and is not counted as a command
        var helper = Assert.Single(referenced, t => t.Name == "PullRequestDelivery");
        Assert.False(IsCommand(helper));
        Assert.Contains(referenced, t => t.Name == "EstateSweeper" || t.Name == "CloudProposer");
    }

    private static readonly Assembly Core = typeof(Ciem.Core.Gate.GateFinding).Assembly;

    private static bool AzureOrGcp(Type t) => InNamespace(t, "Ciem.Core.Azure") || InNamespace(t, "Ciem.Core.Gcp");

    [Fact]
    public void AzureAndGcpCore_ReferenceNoAwsType()
    {
        // Given the Azure and GCP engines of Core
        // When every type they reference is listed
        var aws = ReferencedTypes(Core, AzureOrGcp).Where(t => InNamespace(t, "Ciem.Core.Aws"))
            .Select(t => t.FullName ?? t.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Then none is AWS's: what every provider shares (gate findings and rules, keep reasons, reductions) is neutral
        Assert.Empty(aws);
    }

    [Fact]
    public void ReferencedTypes_AzureAndGcpCore_SeeTheNeutralGateAndReductions()
    {
        // Given the same Azure and GCP engines (the near-miss twin of the rule above)
        // When the types they reference are listed
        var neutral = ReferencedTypes(Core, AzureOrGcp).Select(t => t.FullName).ToHashSet(StringComparer.Ordinal);

        // Then the scan sees their references to the neutral gate and least-privilege types, so an empty list above is not blind
        Assert.Contains("Ciem.Core.Gate.GateFinding", neutral);
        Assert.Contains("Ciem.Core.Gate.GateRules", neutral);
        Assert.Contains("Ciem.Core.LeastPrivilege.DeliveredReduction", neutral);
        Assert.Contains("Ciem.Core.LeastPrivilege.KeepReason", neutral);
    }

    private static Type[] CommandTypes() => [.. Cli.GetTypes().Where(t => t.DeclaringType is null && IsCommand(t))];

    private static bool IsCommand(Type type) => InNamespace(type, "Ciem.Cli.Commands")
        && (type.Name.EndsWith("Command", StringComparison.Ordinal) || type.Name.EndsWith("Commands", StringComparison.Ordinal));

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) { type = outer; }
        return type;
    }

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    /// <summary>The types that the types of <paramref name="ns"/> (nested ones included) reference.</summary>
    private static IEnumerable<Type> ReferencedTypes(Assembly assembly, string ns) => ReferencedTypes(assembly, t => InNamespace(t, ns));

    /// <summary>The types that the types <paramref name="which"/> selects reference.</summary>
    private static IEnumerable<Type> ReferencedTypes(Assembly assembly, Func<Type, bool> which)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(which))
        {
            if (type.BaseType is { } b) { foreach (var t in Expand(b)) { yield return t; } }
            foreach (var t in type.GetFields(All).SelectMany(f => Expand(f.FieldType))) { yield return t; }
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                var signature = method.GetParameters().Select(p => p.ParameterType);
                if (method is MethodInfo m) { signature = signature.Append(m.ReturnType); }
                foreach (var t in signature.SelectMany(Expand)) { yield return t; }
                foreach (var t in BodyReferences(method).SelectMany(Expand)) { yield return t; }
            }
        }
    }

    /// <summary>A type with its element type and generic arguments (`List&lt;Foo&gt;` references `Foo`).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter) { yield break; }
        if (type.HasElementType) { foreach (var t in Expand(type.GetElementType()!)) { yield return t; } yield break; }
        yield return type;
        if (type.IsGenericType) { foreach (var t in type.GetGenericArguments().SelectMany(Expand)) { yield return t; } }
    }

    /// <summary>The declaring types of the members and the types a method body's IL names by token.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) { yield break; }
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            ushort value = il[i++];
            if (value == 0xFE) { value = (ushort)(0xFE00 | il[i++]); }
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod
                    or OperandType.InlineTok or OperandType.InlineType:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    i += 4;
                    if (member is Type t) { yield return t; }
                    else if (member?.DeclaringType is { } owner) { yield return owner; }
                    if (member is MethodInfo { IsGenericMethod: true } generic)
                    {
                        foreach (var a in generic.GetGenericArguments()) { yield return a; }
                    }
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
