using System.Globalization;
using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

public sealed class StringPoolTests
{
    [Fact]
    public void Intern_ManyIdsTwice_ReturnsTheSameInstances()
    {
        var pool = new StringPool(capacity: 10_000);
        var ids = Enumerable.Range(0, 5_000).Select(i => (i * 7919L).ToString(CultureInfo.InvariantCulture).PadLeft(78, '1')).ToArray();

        var first = ids.Select(id => pool.Intern(Fixture.Utf8(id))).ToArray();
        var second = ids.Select(id => pool.Intern(Fixture.Utf8(id))).ToArray();

        Assert.Equal(ids, first);
        Assert.All(Enumerable.Range(0, ids.Length), i => Assert.Same(first[i], second[i]));
        Assert.Equal(ids.Length, pool.Count);
    }

    [Fact]
    public void Intern_PastCapacity_StillReturnsTheTextButKeepsNoMore()
    {
        var pool = new StringPool(capacity: 2);

        var ids = new[] { "1", "2", "3" }.Select(id => pool.Intern(Fixture.Utf8(id))).ToArray();

        Assert.Equal(["1", "2", "3"], ids);
        Assert.Equal(2, pool.Count);
        Assert.NotSame(pool.Intern("3"u8), pool.Intern("3"u8));
    }

    [Fact]
    public void Intern_LongerThanPooled_IsReadButNotShared()
    {
        var pool = new StringPool(capacity: 10);
        var id = new string('9', 200);

        Assert.Equal(id, pool.Intern(Fixture.Utf8(id)));
        Assert.Equal(0, pool.Count);
    }
}
