using AgriChain.Domain.Greenhouses;

namespace AgriChain.Domain.Tests.Yields;

public sealed class YieldForecastTests
{
    private static readonly YieldModel Model = YieldModel.Default;
    private static readonly DateTimeOffset Bloom = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void KgPerMu_IsHarvestOverArea() => Assert.Equal(1500m, YieldForecasts.KgPerMu(3750m, 2.5m));

    [Fact]
    public void NoColdExposure_ForecastsTheTarget()
    {
        var forecast = YieldForecasts.Quantity(2.5m, 1500m, ColdExposure.None, Model);
        Assert.Equal(3750m, forecast.ForecastKg);
        Assert.Equal(0, forecast.Loss);
    }

    [Fact]
    public void ColdAtBloom_CostsTwoPercentPerDegreeHour()
    {
        // 45 degree-minutes = 0.75 degree-hours → 1.5 % of 3,750 kg.
        var forecast = YieldForecasts.Quantity(2.5m, 1500m, new ColdExposure(30, 45), Model);
        Assert.Equal(0.015, forecast.Loss, precision: 12);
        Assert.Equal(3693.8m, forecast.ForecastKg);
    }

    [Fact]
    public void LossIsCapped()
    {
        var forecast = YieldForecasts.Quantity(1m, 1500m, new ColdExposure(6000, 60 * 1000), Model);
        Assert.Equal(0.8, forecast.Loss);
        Assert.Equal(300m, forecast.ForecastKg);
    }

    [Fact]
    public void GrowingDegreeHours_CountWarmthBetweenBaseAndOptimum()
    {
        // 4.5 °C adds nothing, 14.5 adds 10, 30 is held at the 25 °C optimum and adds 20.5.
        Assert.Equal(30.5, YieldForecasts.GrowingDegreeHours([4.5, 14.5, 30, -3], Model), precision: 12);
    }

    [Fact]
    public void WarmMonthAfterBloom_BringsHarvestEarlier_AndACoolOneLater()
    {
        // 720 hours at 17.5 °C: 13 GDH an hour, 9,360 in all, 1,800 over the reference: 3.6 days earlier.
        var warm = YieldForecasts.Window(Bloom, 100, 13 * 720, 720, Model);
        Assert.Equal(9360, warm.Gdh30Days);
        Assert.Equal(-3.6, warm.ShiftDays);
        Assert.Equal(Bloom.AddDays(96.4), warm.Expected);
        Assert.Equal(warm.Expected.AddDays(-5), warm.From);
        Assert.Equal(warm.Expected.AddDays(5), warm.To);

        var cool = YieldForecasts.Window(Bloom, 100, 5.5 * 720, 720, Model);
        Assert.Equal(7.2, cool.ShiftDays);
        Assert.True(warm.From < cool.From);
    }

    [Fact]
    public void PartlyMeasuredMonth_IsScaledToThirtyDays_AndNoDataMeansTheReference()
    {
        var tenDays = YieldForecasts.Window(Bloom, 100, 13 * 240, 240, Model);
        Assert.Equal(9360, tenDays.Gdh30Days);
        var none = YieldForecasts.Window(Bloom, 100, 0, 0, Model);
        Assert.Equal(0, none.ShiftDays);
        Assert.Equal(Bloom.AddDays(100), none.Expected);
    }

    [Fact]
    public void Season_IsTheFarmLocalYear()
    {
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        Assert.Equal(2027, YieldForecasts.Season(new DateTimeOffset(2026, 12, 31, 17, 0, 0, TimeSpan.Zero), shanghai));
        Assert.Equal(2026, YieldForecasts.Season(new DateTimeOffset(2026, 12, 31, 15, 0, 0, TimeSpan.Zero), shanghai));
    }

    [Fact]
    public void Nectarine_IsHarvestedFromFruitGrowthOn_NotWhileDormant()
    {
        var nectarine = BuiltInCropProfiles.Nectarine;
        Assert.False(nectarine.CanHarvestIn(GrowthStage.Dormant));
        Assert.False(nectarine.CanHarvestIn(GrowthStage.Flowering));
        Assert.True(nectarine.CanHarvestIn(GrowthStage.Harvest));
        Assert.True(nectarine.CanHarvestIn(null));
    }
}
