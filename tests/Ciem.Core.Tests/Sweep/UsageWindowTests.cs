using Ciem.Core.Model;

namespace Ciem.Core.Tests.Sweep;

public sealed class UsageWindowTests
{
    [Fact]
    public void Of_NinetyDaysAtNoon_StartsEightyNineDaysBeforeTheAsOfDayAndIncludesBoth()
    {
        // Given an as-of instant in the middle of a day
        var asOf = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

        // When the 90-day window is built
        var window = UsageWindow.Of(asOf, 90, 400);

        // Then it covers exactly 90 whole days, the as-of day included, and reports the first day it covers
        Assert.Equal(new DateOnly(2026, 8, 31), window.Start);
        Assert.Equal(new DateOnly(2026, 11, 28), window.End);
        Assert.Equal(new DateOnly(2026, 11, 29), window.EndExclusive);
        Assert.Equal(90, window.End.DayNumber - window.Start.DayNumber + 1);
        Assert.Equal(new DateTimeOffset(2026, 8, 31, 0, 0, 0, TimeSpan.Zero), window.StartInstant);
        Assert.Equal(new DateOnly(2025, 10, 25), window.LookbackStart);
        Assert.True(window.Contains(window.Start));
        Assert.False(window.Contains(window.Start.AddDays(-1)));
        Assert.False(window.Contains(window.EndExclusive));
    }

    [Fact]
    public void Of_AsOfInAnotherOffset_UsesTheUtcDay()
    {
        // Given 23:30 on 1 November at UTC-2, which is 01:30 on 2 November in UTC
        var asOf = new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.FromHours(-2));

        // When a one-day window is built
        var window = UsageWindow.Of(asOf, 1);

        // Then its only day is the UTC day
        Assert.Equal(new DateOnly(2026, 11, 2), window.Start);
        Assert.Equal(window.Start, window.End);
    }

    [Fact]
    public void Of_LookbackShorterThanTheWindow_LooksBackOverTheWindowOnly()
    {
        // Given a lookback shorter than the window
        // When the window is built
        var window = UsageWindow.Of(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 30, 7);

        // Then the lookback is the window itself: no seasonal days before it
        Assert.Equal(30, window.LookbackDays);
        Assert.Equal(window.Start, window.LookbackStart);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Of_NoDays_Throws(int days) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UsageWindow.Of(DateTimeOffset.UnixEpoch, days));
}

public sealed class ProviderTests
{
    [Theory]
    [InlineData("aws")]
    [InlineData("azure")]
    [InlineData("gcp")]
    public void TryParse_KnownName_RoundTrips(string name)
    {
        // Given a provider's name
        // When it is parsed
        Assert.True(Provider.TryParse(name, out var provider));

        // Then the provider prints the same name
        Assert.Equal(name, provider.Name);
        Assert.Equal(name, provider.ToString());
    }

    [Theory]
    [InlineData("AWS")]
    [InlineData("oci")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_OtherName_IsRefused(string? name)
    {
        // Given a name that is not exactly one of the three
        // When it is parsed
        // Then it is refused and the value is no provider
        Assert.False(Provider.TryParse(name, out var provider));
        Assert.Equal("", provider.Name);
    }

    [Fact]
    public void All_ListsTheProvidersInReportOrder() =>
        Assert.Equal(["aws", "azure", "gcp"], Provider.All.Select(p => p.Name).ToArray());
}
