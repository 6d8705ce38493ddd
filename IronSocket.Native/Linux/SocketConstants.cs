// Generated once from /usr/bin/python3.11 (Debian, Linux x86_64) `_socket` integer constants; proved against the
// system C headers (and CPython where a header is absent) by IronSocket.Tests/Native/ConstantsProofTests, and against
// CPython's own `_socket` by SocketConstantsTableTests. The one list of Linux's names: the (name, value) table the
// module registers, All, is generated from these consts at build time (tools/ConstantTableGenerator).
#pragma warning disable IDE1006 // C names on purpose

namespace IronSocket.Native.Linux;

/// <summary>
/// Every integer constant of CPython 3.11's `_socket` on Linux, under its Python name (which is the C macro name except
/// the CAN_BCM_* ones, whose C names lack the prefix). int unless the value needs uint (unsigned C constants).
/// <c>All</c> lists them all (generated); Linux's own code uses the fields directly.
/// </summary>
[ConstantTable]
public static partial class SocketConstants
{
    // AF
    public const int AF_ALG = 38;
    public const int AF_APPLETALK = 5;
    public const int AF_ASH = 18;
    public const int AF_ATMPVC = 8;
    public const int AF_ATMSVC = 20;
    public const int AF_AX25 = 3;
    public const int AF_BLUETOOTH = 31;
    public const int AF_BRIDGE = 7;
    public const int AF_CAN = 29;
    public const int AF_DECnet = 12;
    public const int AF_ECONET = 19;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_IPX = 4;
    public const int AF_IRDA = 23;
    public const int AF_KEY = 15;
    public const int AF_LLC = 26;
    public const int AF_NETBEUI = 13;
    public const int AF_NETLINK = 16;
    public const int AF_NETROM = 6;
    public const int AF_PACKET = 17;
    public const int AF_PPPOX = 24;
    public const int AF_QIPCRTR = 42;
    public const int AF_RDS = 21;
    public const int AF_ROSE = 11;
    public const int AF_ROUTE = 16;
    public const int AF_SECURITY = 14;
    public const int AF_SNA = 22;
    public const int AF_TIPC = 30;
    public const int AF_UNIX = 1;
    public const int AF_UNSPEC = 0;
    public const int AF_VSOCK = 40;
    public const int AF_WANPIPE = 25;
    public const int AF_X25 = 9;

    // AI
    public const int AI_ADDRCONFIG = 32;
    public const int AI_ALL = 16;
    public const int AI_CANONNAME = 2;
    public const int AI_NUMERICHOST = 4;
    public const int AI_NUMERICSERV = 1024;
    public const int AI_PASSIVE = 1;
    public const int AI_V4MAPPED = 8;

    // ALG
    public const int ALG_OP_DECRYPT = 0;
    public const int ALG_OP_ENCRYPT = 1;
    public const int ALG_OP_SIGN = 2;
    public const int ALG_OP_VERIFY = 3;
    public const int ALG_SET_AEAD_ASSOCLEN = 4;
    public const int ALG_SET_AEAD_AUTHSIZE = 5;
    public const int ALG_SET_IV = 2;
    public const int ALG_SET_KEY = 1;
    public const int ALG_SET_OP = 3;
    public const int ALG_SET_PUBKEY = 6;

    // BTPROTO
    public const int BTPROTO_HCI = 1;
    public const int BTPROTO_L2CAP = 0;
    public const int BTPROTO_RFCOMM = 3;
    public const int BTPROTO_SCO = 2;

    // CAN_BCM
    public const int CAN_BCM = 2;
    public const int CAN_BCM_CAN_FD_FRAME = 2048;
    public const int CAN_BCM_RX_ANNOUNCE_RESUME = 256;
    public const int CAN_BCM_RX_CHANGED = 12;
    public const int CAN_BCM_RX_CHECK_DLC = 64;
    public const int CAN_BCM_RX_DELETE = 6;
    public const int CAN_BCM_RX_FILTER_ID = 32;
    public const int CAN_BCM_RX_NO_AUTOTIMER = 128;
    public const int CAN_BCM_RX_READ = 7;
    public const int CAN_BCM_RX_RTR_FRAME = 1024;
    public const int CAN_BCM_RX_SETUP = 5;
    public const int CAN_BCM_RX_STATUS = 10;
    public const int CAN_BCM_RX_TIMEOUT = 11;
    public const int CAN_BCM_SETTIMER = 1;
    public const int CAN_BCM_STARTTIMER = 2;
    public const int CAN_BCM_TX_ANNOUNCE = 8;
    public const int CAN_BCM_TX_COUNTEVT = 4;
    public const int CAN_BCM_TX_CP_CAN_ID = 16;
    public const int CAN_BCM_TX_DELETE = 2;
    public const int CAN_BCM_TX_EXPIRED = 9;
    public const int CAN_BCM_TX_READ = 3;
    public const int CAN_BCM_TX_RESET_MULTI_IDX = 512;
    public const int CAN_BCM_TX_SEND = 4;
    public const int CAN_BCM_TX_SETUP = 1;
    public const int CAN_BCM_TX_STATUS = 8;

    // CAN
    public const uint CAN_EFF_FLAG = 2147483648;
    public const int CAN_EFF_MASK = 536870911;
    public const int CAN_ERR_FLAG = 536870912;
    public const int CAN_ERR_MASK = 536870911;
    public const int CAN_ISOTP = 6;
    public const int CAN_J1939 = 7;
    public const int CAN_RTR_FLAG = 1073741824;
    public const int CAN_SFF_MASK = 2047;

    // CAN_RAW
    public const int CAN_RAW = 1;
    public const int CAN_RAW_FD_FRAMES = 5;
    public const int CAN_RAW_FILTER = 1;
    public const int CAN_RAW_JOIN_FILTERS = 6;
    public const int CAN_RAW_LOOPBACK = 3;
    public const int CAN_RAW_RECV_OWN_MSGS = 4;

    // EAI
    public const int EAI_ADDRFAMILY = -9;
    public const int EAI_AGAIN = -3;
    public const int EAI_BADFLAGS = -1;
    public const int EAI_FAIL = -4;
    public const int EAI_FAMILY = -6;
    public const int EAI_MEMORY = -10;
    public const int EAI_NODATA = -5;
    public const int EAI_NONAME = -2;
    public const int EAI_OVERFLOW = -12;
    public const int EAI_SERVICE = -8;
    public const int EAI_SOCKTYPE = -7;
    public const int EAI_SYSTEM = -11;

    // HCI
    public const int HCI_DATA_DIR = 1;
    public const int HCI_FILTER = 2;
    public const int HCI_TIME_STAMP = 3;

    // INADDR
    public const uint INADDR_ALLHOSTS_GROUP = 3758096385;
    public const int INADDR_ANY = 0;
    public const uint INADDR_BROADCAST = 4294967295;
    public const int INADDR_LOOPBACK = 2130706433;
    public const uint INADDR_MAX_LOCAL_GROUP = 3758096639;
    public const uint INADDR_NONE = 4294967295;
    public const uint INADDR_UNSPEC_GROUP = 3758096384;

    // IOCTL_VM
    public const int IOCTL_VM_SOCKETS_GET_LOCAL_CID = 1977;

    // IPPORT
    public const int IPPORT_RESERVED = 1024;
    public const int IPPORT_USERRESERVED = 5000;

    // IPPROTO
    public const int IPPROTO_AH = 51;
    public const int IPPROTO_DSTOPTS = 60;
    public const int IPPROTO_EGP = 8;
    public const int IPPROTO_ESP = 50;
    public const int IPPROTO_FRAGMENT = 44;
    public const int IPPROTO_GRE = 47;
    public const int IPPROTO_HOPOPTS = 0;
    public const int IPPROTO_ICMP = 1;
    public const int IPPROTO_ICMPV6 = 58;
    public const int IPPROTO_IDP = 22;
    public const int IPPROTO_IGMP = 2;
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_IPIP = 4;
    public const int IPPROTO_IPV6 = 41;
    public const int IPPROTO_MPTCP = 262;
    public const int IPPROTO_NONE = 59;
    public const int IPPROTO_PIM = 103;
    public const int IPPROTO_PUP = 12;
    public const int IPPROTO_RAW = 255;
    public const int IPPROTO_ROUTING = 43;
    public const int IPPROTO_RSVP = 46;
    public const int IPPROTO_SCTP = 132;
    public const int IPPROTO_TCP = 6;
    public const int IPPROTO_TP = 29;
    public const int IPPROTO_UDP = 17;
    public const int IPPROTO_UDPLITE = 136;

    // IPV6
    public const int IPV6_CHECKSUM = 7;
    public const int IPV6_DONTFRAG = 62;
    public const int IPV6_DSTOPTS = 59;
    public const int IPV6_HOPLIMIT = 52;
    public const int IPV6_HOPOPTS = 54;
    public const int IPV6_JOIN_GROUP = 20;
    public const int IPV6_LEAVE_GROUP = 21;
    public const int IPV6_MULTICAST_HOPS = 18;
    public const int IPV6_MULTICAST_IF = 17;
    public const int IPV6_MULTICAST_LOOP = 19;
    public const int IPV6_NEXTHOP = 9;
    public const int IPV6_PATHMTU = 61;
    public const int IPV6_PKTINFO = 50;
    public const int IPV6_RECVDSTOPTS = 58;
    public const int IPV6_RECVHOPLIMIT = 51;
    public const int IPV6_RECVHOPOPTS = 53;
    public const int IPV6_RECVPATHMTU = 60;
    public const int IPV6_RECVPKTINFO = 49;
    public const int IPV6_RECVRTHDR = 56;
    public const int IPV6_RECVTCLASS = 66;
    public const int IPV6_RTHDR = 57;
    public const int IPV6_RTHDRDSTOPTS = 55;
    public const int IPV6_RTHDR_TYPE_0 = 0;
    public const int IPV6_TCLASS = 67;
    public const int IPV6_UNICAST_HOPS = 16;
    public const int IPV6_V6ONLY = 26;

    // IP
    public const int IP_ADD_MEMBERSHIP = 35;
    public const int IP_BIND_ADDRESS_NO_PORT = 24;
    public const int IP_DEFAULT_MULTICAST_LOOP = 1;
    public const int IP_DEFAULT_MULTICAST_TTL = 1;
    public const int IP_DROP_MEMBERSHIP = 36;
    public const int IP_HDRINCL = 3;
    public const int IP_MAX_MEMBERSHIPS = 20;
    public const int IP_MULTICAST_IF = 32;
    public const int IP_MULTICAST_LOOP = 34;
    public const int IP_MULTICAST_TTL = 33;
    public const int IP_OPTIONS = 4;
    public const int IP_RECVOPTS = 6;
    public const int IP_RECVRETOPTS = 7;
    public const int IP_RECVTOS = 13;
    public const int IP_RETOPTS = 7;
    public const int IP_TOS = 1;
    public const int IP_TRANSPARENT = 19;
    public const int IP_TTL = 2;

    // J1939
    public const int J1939_EE_INFO_NONE = 0;
    public const int J1939_EE_INFO_TX_ABORT = 1;
    public const int J1939_FILTER_MAX = 512;
    public const int J1939_IDLE_ADDR = 254;
    public const int J1939_MAX_UNICAST_ADDR = 253;
    public const int J1939_NLA_BYTES_ACKED = 1;
    public const int J1939_NLA_PAD = 0;
    public const int J1939_NO_ADDR = 255;
    public const int J1939_NO_NAME = 0;
    public const int J1939_NO_PGN = 262144;
    public const int J1939_PGN_ADDRESS_CLAIMED = 60928;
    public const int J1939_PGN_ADDRESS_COMMANDED = 65240;
    public const int J1939_PGN_MAX = 262143;
    public const int J1939_PGN_PDU1_MAX = 261888;
    public const int J1939_PGN_REQUEST = 59904;

    // MSG
    public const int MSG_CMSG_CLOEXEC = 1073741824;
    public const int MSG_CONFIRM = 2048;
    public const int MSG_CTRUNC = 8;
    public const int MSG_DONTROUTE = 4;
    public const int MSG_DONTWAIT = 64;
    public const int MSG_EOR = 128;
    public const int MSG_ERRQUEUE = 8192;
    public const int MSG_FASTOPEN = 536870912;
    public const int MSG_MORE = 32768;
    public const int MSG_NOSIGNAL = 16384;
    public const int MSG_OOB = 1;
    public const int MSG_PEEK = 2;
    public const int MSG_TRUNC = 32;
    public const int MSG_WAITALL = 256;

    // NETLINK
    public const int NETLINK_CRYPTO = 21;
    public const int NETLINK_DNRTMSG = 14;
    public const int NETLINK_FIREWALL = 3;
    public const int NETLINK_IP6_FW = 13;
    public const int NETLINK_NFLOG = 5;
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_USERSOCK = 2;
    public const int NETLINK_XFRM = 6;

    // NI
    public const int NI_DGRAM = 16;
    public const int NI_MAXHOST = 1025;
    public const int NI_MAXSERV = 32;
    public const int NI_NAMEREQD = 8;
    public const int NI_NOFQDN = 4;
    public const int NI_NUMERICHOST = 1;
    public const int NI_NUMERICSERV = 2;

    // PACKET
    public const int PACKET_BROADCAST = 1;
    public const int PACKET_FASTROUTE = 6;
    public const int PACKET_HOST = 0;
    public const int PACKET_LOOPBACK = 5;
    public const int PACKET_MULTICAST = 2;
    public const int PACKET_OTHERHOST = 3;
    public const int PACKET_OUTGOING = 4;

    // PF
    public const int PF_CAN = 29;
    public const int PF_PACKET = 17;
    public const int PF_RDS = 21;

    // SCM
    public const int SCM_CREDENTIALS = 2;
    public const int SCM_RIGHTS = 1;

    // SCM_J1939
    public const int SCM_J1939_DEST_ADDR = 1;
    public const int SCM_J1939_DEST_NAME = 2;
    public const int SCM_J1939_ERRQUEUE = 4;
    public const int SCM_J1939_PRIO = 3;

    // SHUT
    public const int SHUT_RD = 0;
    public const int SHUT_RDWR = 2;
    public const int SHUT_WR = 1;

    // SOCK
    public const int SOCK_CLOEXEC = 524288;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_NONBLOCK = 2048;
    public const int SOCK_RAW = 3;
    public const int SOCK_RDM = 4;
    public const int SOCK_SEQPACKET = 5;
    public const int SOCK_STREAM = 1;

    // SOL
    public const int SOL_ALG = 279;
    public const int SOL_CAN_BASE = 100;
    public const int SOL_CAN_RAW = 101;
    public const int SOL_HCI = 0;
    public const int SOL_IP = 0;
    public const int SOL_RDS = 276;
    public const int SOL_SOCKET = 1;
    public const int SOL_TCP = 6;
    public const int SOL_TIPC = 271;
    public const int SOL_UDP = 17;

    // misc
    public const int SOMAXCONN = 4096;

    // SO
    public const int SO_ACCEPTCONN = 30;
    public const int SO_BINDTODEVICE = 25;
    public const int SO_BROADCAST = 6;
    public const int SO_DEBUG = 1;
    public const int SO_DOMAIN = 39;
    public const int SO_DONTROUTE = 5;
    public const int SO_ERROR = 4;
    public const int SO_INCOMING_CPU = 49;
    public const int SO_KEEPALIVE = 9;
    public const int SO_LINGER = 13;
    public const int SO_MARK = 36;
    public const int SO_OOBINLINE = 10;
    public const int SO_PASSCRED = 16;
    public const int SO_PASSSEC = 34;
    public const int SO_PEERCRED = 17;
    public const int SO_PEERSEC = 31;
    public const int SO_PRIORITY = 12;
    public const int SO_PROTOCOL = 38;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVLOWAT = 18;
    public const int SO_RCVTIMEO = 20;
    public const int SO_REUSEADDR = 2;
    public const int SO_REUSEPORT = 15;
    public const int SO_SNDBUF = 7;
    public const int SO_SNDLOWAT = 19;
    public const int SO_SNDTIMEO = 21;
    public const int SO_TYPE = 3;

    // SO_J1939
    public const int SO_J1939_ERRQUEUE = 4;
    public const int SO_J1939_FILTER = 1;
    public const int SO_J1939_PROMISC = 2;
    public const int SO_J1939_SEND_PRIO = 3;

    // SO_VM
    public const int SO_VM_SOCKETS_BUFFER_MAX_SIZE = 2;
    public const int SO_VM_SOCKETS_BUFFER_MIN_SIZE = 1;
    public const int SO_VM_SOCKETS_BUFFER_SIZE = 0;

    // TCP
    public const int TCP_CONGESTION = 13;
    public const int TCP_CORK = 3;
    public const int TCP_DEFER_ACCEPT = 9;
    public const int TCP_FASTOPEN = 23;
    public const int TCP_INFO = 11;
    public const int TCP_KEEPCNT = 6;
    public const int TCP_KEEPIDLE = 4;
    public const int TCP_KEEPINTVL = 5;
    public const int TCP_LINGER2 = 8;
    public const int TCP_MAXSEG = 2;
    public const int TCP_NODELAY = 1;
    public const int TCP_NOTSENT_LOWAT = 25;
    public const int TCP_QUICKACK = 12;
    public const int TCP_SYNCNT = 7;
    public const int TCP_USER_TIMEOUT = 18;
    public const int TCP_WINDOW_CLAMP = 10;

    // TIPC
    public const int TIPC_ADDR_ID = 3;
    public const int TIPC_ADDR_NAME = 2;
    public const int TIPC_ADDR_NAMESEQ = 1;
    public const int TIPC_CFG_SRV = 0;
    public const int TIPC_CLUSTER_SCOPE = 2;
    public const int TIPC_CONN_TIMEOUT = 130;
    public const int TIPC_CRITICAL_IMPORTANCE = 3;
    public const int TIPC_DEST_DROPPABLE = 129;
    public const int TIPC_HIGH_IMPORTANCE = 2;
    public const int TIPC_IMPORTANCE = 127;
    public const int TIPC_LOW_IMPORTANCE = 0;
    public const int TIPC_MEDIUM_IMPORTANCE = 1;
    public const int TIPC_NODE_SCOPE = 3;
    public const int TIPC_PUBLISHED = 1;
    public const int TIPC_SRC_DROPPABLE = 128;
    public const int TIPC_SUBSCR_TIMEOUT = 3;
    public const int TIPC_SUB_CANCEL = 4;
    public const int TIPC_SUB_PORTS = 1;
    public const int TIPC_SUB_SERVICE = 2;
    public const int TIPC_TOP_SRV = 1;
    public const int TIPC_WAIT_FOREVER = -1;
    public const int TIPC_WITHDRAWN = 2;
    public const int TIPC_ZONE_SCOPE = 1;

    // UDPLITE
    public const int UDPLITE_RECV_CSCOV = 11;
    public const int UDPLITE_SEND_CSCOV = 10;

    // VMADDR
    public const uint VMADDR_CID_ANY = 4294967295;
    public const int VMADDR_CID_HOST = 2;
    public const uint VMADDR_PORT_ANY = 4294967295;

    // VM_SOCKETS
    public const uint VM_SOCKETS_INVALID_VERSION = 4294967295;
}
