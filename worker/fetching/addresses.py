"""Which network addresses we may connect to, and the resolver whose answers we check.

Every address a host resolves to is checked, and the whole lookup is refused when any
record is disallowed (a name that also points inside our network is not a news site).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], bool]

# Cloud metadata endpoints stay blocked even when private addresses are allowed:
# no local test web ever needs them and they hand out credentials.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(ip)
    for ip in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IPv6
        "100.100.100.200",  # Alibaba
        "192.0.0.192",  # Oracle
    )
)

# Ranges beyond what ipaddress flags: CGNAT, NAT64, 6to4 and friends can reach
# internal hosts (requests-hardened keeps this list up to date).
BLOCKED_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fd00:ec2::/32"),
    *EXTRA_BLOCKED_NET_RANGES,
)


def _unwrap(ip: IPAddress) -> IPAddress:
    # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it carries.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_metadata_address(ip: IPAddress) -> bool:
    return _unwrap(ip) in METADATA_ADDRESSES


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address that is not in a blocked range."""
    ip = _unwrap(ip)
    if is_metadata_address(ip):
        return False
    if (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    ):
        return False
    if isinstance(ip, ipaddress.IPv6Address) and (ip.sixtofour or ip.teredo):
        return False
    return not any(ip in net for net in BLOCKED_NETWORKS if net.version == ip.version)


def allow_any_but_metadata(ip: IPAddress) -> bool:
    """The policy behind allow_private: local mini-webs yes, cloud metadata and nonsense no."""
    ip = _unwrap(ip)
    return not (is_metadata_address(ip) or ip.is_unspecified or ip.is_multicast)


def default_policy(allow_private: bool) -> AddressPolicy:
    return allow_any_but_metadata if allow_private else is_public_address


def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses for host, in resolver order, without duplicates.

    Tests patch this function to simulate DNS answers (rebinding, mixed records).
    """
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[IPAddress] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in seen:
            seen.append(ip)
    return seen


def disallowed(addresses: Sequence[IPAddress], policy: AddressPolicy) -> list[IPAddress]:
    """The addresses the policy refuses; any one of them blocks the whole lookup."""
    return [ip for ip in addresses if not policy(ip)]
