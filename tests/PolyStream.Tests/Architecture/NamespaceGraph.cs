using Mono.Cecil;

namespace PolyStream.Tests.Architecture;

/// <summary>
/// Which namespaces of one assembly use which others, read from its metadata and IL: base types,
/// interfaces, fields, signatures, attributes, locals, and every type, method and field an instruction
/// names. Compiler-generated nested types (lambdas, state machines) count for the type they belong to.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Every namespace under the root given to <see cref="Of"/>, and the ones it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges => _edges;

    public static NamespaceGraph Of(string assemblyPath, string rootNamespace)
    {
        var graph = new NamespaceGraph();
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (!IsUnder(from, rootNamespace))
            {
                continue;
            }

            var uses = graph.EdgesOf(from);
            foreach (var used in ReferencedTypes(type))
            {
                if (IsLocal(used, module) && NamespaceOf(used) is var to && to != from && IsUnder(to, rootNamespace))
                {
                    uses.Add(to);
                }
            }
        }

        return graph;
    }

    /// <summary>One cycle as a path that ends where it starts, or <see langword="null"/> when the graph has none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path; true: done
        var path = new List<string>();
        foreach (var start in _edges.Keys)
        {
            if (Visit(start, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private List<string>? Visit(string node, Dictionary<string, bool> state, List<string> path)
    {
        if (state.TryGetValue(node, out var done))
        {
            return done ? null : [.. path.Skip(path.IndexOf(node)), node];
        }

        state[node] = false;
        path.Add(node);
        foreach (var next in _edges.GetValueOrDefault(node) ?? [])
        {
            if (Visit(next, state, path) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[node] = true;
        return null;
    }

    private SortedSet<string> EdgesOf(string ns)
    {
        if (!_edges.TryGetValue(ns, out var set))
        {
            _edges[ns] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private static bool IsUnder(string ns, string root) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    private static bool IsLocal(TypeReference type, ModuleDefinition module) => type.Scope is ModuleDefinition scope && scope == module;

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace;
    }

    private static List<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? reference) => Flatten(reference, found);

        Add(type.BaseType);
        type.Interfaces.ToList().ForEach(i => Add(i.InterfaceType));
        type.CustomAttributes.ToList().ForEach(a => Add(a.AttributeType));
        type.Fields.ToList().ForEach(f => Add(f.FieldType));
        type.Properties.ToList().ForEach(p => Add(p.PropertyType));
        foreach (var method in type.Methods)
        {
            Add(method.ReturnType);
            method.Parameters.ToList().ForEach(p => Add(p.ParameterType));
            method.CustomAttributes.ToList().ForEach(a => Add(a.AttributeType));
            if (!method.HasBody)
            {
                continue;
            }

            method.Body.Variables.ToList().ForEach(v => Add(v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference operand:
                        Add(operand);
                        break;
                    case MethodReference called:
                        Add(called.DeclaringType);
                        Add(called.ReturnType);
                        called.Parameters.ToList().ForEach(p => Add(p.ParameterType));
                        if (called is GenericInstanceMethod generic)
                        {
                            generic.GenericArguments.ToList().ForEach(Add);
                        }

                        break;
                    case FieldReference field:
                        Add(field.DeclaringType);
                        Add(field.FieldType);
                        break;
                }
            }
        }

        return found;
    }

    /// <summary>Adds a type and what it is built from: the elements of arrays and pointers, generic arguments.</summary>
    private static void Flatten(TypeReference? type, List<TypeReference> found)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Flatten(generic.ElementType, found);
                generic.GenericArguments.ToList().ForEach(a => Flatten(a, found));
                return;
            case TypeSpecification specification:
                Flatten(specification.ElementType, found);
                return;
            default:
                found.Add(type);
                return;
        }
    }
}
