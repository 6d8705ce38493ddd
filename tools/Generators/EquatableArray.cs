using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace IronSocket.Generators;

/// <summary>An immutable array compared by its items, so the incremental pipeline can tell an unchanged model.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> items = items;

    public int Count => items.IsDefault ? 0 : items.Length;
    public T this[int i] => items[i];

    public bool Equals(EquatableArray<T> other) => (items.IsDefault ? ImmutableArray<T>.Empty : items)
        .SequenceEqual(other.items.IsDefault ? ImmutableArray<T>.Empty : other.items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int h = 17;
        foreach (var item in this) h = h * 31 + (item?.GetHashCode() ?? 0);
        return h;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items.IsDefault ? ImmutableArray<T>.Empty : items)).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
