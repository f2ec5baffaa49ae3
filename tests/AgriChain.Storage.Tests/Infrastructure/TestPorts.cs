using System.Net;
using System.Net.Sockets;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>Free loopback ports, so that test silos and servers can run side by side.</summary>
public static class TestPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
