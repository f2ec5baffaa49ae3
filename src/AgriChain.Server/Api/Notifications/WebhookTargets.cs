using System.Net;
using System.Net.Sockets;

namespace AgriChain.Server.Api.Notifications;

/// <summary>Settings of webhook delivery (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Whether webhooks may point at loopback, private, link-local and other non-public addresses. Default
    /// <c>false</c>: a client's webhook URL is a request this server makes on the client's behalf, and must not reach
    /// the machine itself, the cloud's metadata service or the site's internal network. Set it where receivers
    /// run inside the network on purpose (development, a plant's own intranet).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>
/// Keeps webhook deliveries to public addresses: URLs naming a non-public address are refused when registered, and
/// every connection checks the addresses its host name resolves to at the moment it connects (so a name that
/// resolved to a public address when registered, or rebinds later, cannot lead inside the network).
/// </summary>
public static class WebhookTargets
{
    /// <summary>The complaint for the <c>url</c> field.</summary>
    public const string NotPublic = "must point to a public address, not a loopback, private or link-local one";

    /// <summary>Whether the URL names the machine or a non-public address literally (its host is not looked up).</summary>
    public static bool NamesNonPublicHost(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && !IsPublic(address);
    }

    /// <summary>
    /// Whether <paramref name="address"/> is a public unicast address: not unspecified, loopback, private (RFC 1918,
    /// IPv6 unique local), shared (100.64/10), link-local, multicast, documentation or reserved, also when written as
    /// an IPv4-mapped IPv6 address.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0                                   // this network
                || b[0] == 10                                     // private
                || b[0] == 127                                    // loopback
                || (b[0] == 100 && (b[1] & 0xC0) == 64)           // shared address space (carrier-grade NAT)
                || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata services
                || (b[0] == 172 && (b[1] & 0xF0) == 16)           // private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)        // IETF protocol assignments
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)        // documentation
                || (b[0] == 192 && b[1] == 168)                   // private
                || (b[0] == 198 && (b[1] & 0xFE) == 18)           // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)     // documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)      // documentation
                || b[0] >= 224);                                  // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return !(address.Equals(IPAddress.IPv6Any)
                || address.Equals(IPAddress.IPv6Loopback)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                          // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // documentation 2001:db8::/32
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) // NAT64 64:ff9b::/96 (maps IPv4)
                || address.IsIPv6Teredo);
        }

        return false;
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> the way <see cref="SocketsHttpHandler"/> would, but only to the public
    /// addresses its host resolves to; fails with <see cref="HttpRequestException"/> when it has none.
    /// </summary>
    public static async ValueTask<Stream> ConnectToPublicAddressAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(
                $"Webhook host '{endpoint.Host}' does not resolve to a public address; deliveries to loopback, private and link-local addresses are refused (Webhooks:AllowPrivateNetworks).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
