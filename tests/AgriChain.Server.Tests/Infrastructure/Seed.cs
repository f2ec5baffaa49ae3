using System.Net;
using System.Net.Http.Json;

namespace AgriChain.Server.Tests.Infrastructure;

/// <summary>Builds master data through the API with the admin key, asserting each step.</summary>
public static class Seed
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static object Cooperative(string name = "Xibeizhuang Co-op") =>
        new { name, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi" };

    public static object Farm(string cooperativeId, string name = "Nectarine park") =>
        new { name, cooperativeId, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi", kind = "greenhouse" };

    public static object Greenhouse(string farmId, decimal areaMu = 1.2m) =>
        new { farmId, name = "House 7", crop = "nectarine", variety = "Zhongyou 4", areaMu };

    public static async Task<string> CooperativeAsync(HttpClient admin)
    {
        var id = NewId("coop");
        await PutAsync(admin, $"/api/v1/cooperatives/{id}", Cooperative());
        return id;
    }

    public static async Task<string> FarmAsync(HttpClient admin, string cooperativeId)
    {
        var id = NewId("farm");
        await PutAsync(admin, $"/api/v1/farms/{id}", Farm(cooperativeId));
        return id;
    }

    public static async Task<string> GreenhouseAsync(HttpClient admin, string farmId)
    {
        var id = NewId("gh");
        await PutAsync(admin, $"/api/v1/greenhouses/{id}", Greenhouse(farmId));
        return id;
    }

    public static async Task<string> BuyerAsync(HttpClient admin)
    {
        var id = NewId("buyer");
        await PutAsync(admin, $"/api/v1/buyers/{id}", new { name = "Fresh Mart", city = "Taiyuan" });
        return id;
    }

    private static async Task PutAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PutAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
