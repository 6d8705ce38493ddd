using System.Security.Cryptography;
using System.Text;

namespace IronSocket.Core.Tls.Platform;

/// <summary>
/// Private keys as users have them in PEM files, read without .NET's PEM import (absent on netstandard2.0): PKCS#8
/// ("PRIVATE KEY"), PKCS#8 encrypted with PBES2 (PBKDF2 + AES/3DES: "ENCRYPTED PRIVATE KEY"), PKCS#1 RSA ("RSA PRIVATE
/// KEY") and SEC1 EC ("EC PRIVATE KEY"), the last two also in OpenSSL's traditional encryption (Proc-Type: 4,ENCRYPTED).
/// The DER is read with the core's <see cref="DerReader"/>; the key is built with ImportParameters.
/// </summary>
internal static class PrivateKeys
{
    private const string OidRsa = "1.2.840.113549.1.1.1", OidEc = "1.2.840.10045.2.1", OidPbes2 = "1.2.840.113549.1.5.13",
        OidPbkdf2 = "1.2.840.113549.1.5.12";

    /// <summary>
    /// The first private key in <paramref name="pemText"/>, or null when there is none. A wrong password or a key
    /// that cannot be decoded is OpenSSL's "PEM lib" error, as CPython reports a failed SSL_CTX_use_PrivateKey_file.
    /// </summary>
    public static AsymmetricAlgorithm? Read(byte[] pemText, Func<byte[]>? password)
    {
        foreach (var block in Pem.Blocks(pemText))
        {
            switch (block.Label)
            {
                case "PRIVATE KEY":
                    return FromPkcs8(block.Der);
                case "ENCRYPTED PRIVATE KEY":
                    return FromPkcs8(DecryptPkcs8(block.Der, Password(password)));
                case "RSA PRIVATE KEY":
                    return RsaFromPkcs1(Traditional(block, password));
                case "EC PRIVATE KEY":
                    return EcKey(Traditional(block, password), null);
            }
        }
        return null;
    }

    /// <summary>OpenSSL's failure to read a key (ERR_R_PEM_LIB in the SSL library), which CPython shows as "[SSL] PEM lib".</summary>
    internal static PySslError PemLib() => TlsErrors.Library(new TlsFailure
    {
        Code = 0x80009, ReasonCode = 0x80009, Library = "SSL", ReasonText = "PEM lib",
    });

    private static byte[] Password(Func<byte[]>? password)
    {
        if (password is null)
            throw PemLib();   // OpenSSL would prompt on a terminal; CPython without one fails so
        return password();
    }

    private static byte[] Traditional(PemBlock block, Func<byte[]>? password)
    {
        if (!block.Headers.TryGetValue("Proc-Type", out var procType) || !procType.Replace(" ", "").Equals("4,ENCRYPTED", StringComparison.OrdinalIgnoreCase))
            return block.Der;
        if (!block.Headers.TryGetValue("DEK-Info", out var dekInfo))
            throw PemLib();
        string[] parts = dekInfo.Split(',');
        if (parts.Length != 2)
            throw PemLib();
        byte[] iv = Hex(parts[1].Trim());
        SymmetricAlgorithm cipher;
        int keyLength;
        switch (parts[0].Trim().ToUpperInvariant())
        {
            case "AES-128-CBC": cipher = Aes.Create(); keyLength = 16; break;
            case "AES-192-CBC": cipher = Aes.Create(); keyLength = 24; break;
            case "AES-256-CBC": cipher = Aes.Create(); keyLength = 32; break;
            case "DES-EDE3-CBC": cipher = TripleDES.Create(); keyLength = 24; break;
            default: throw PemLib();
        }
        if (iv.Length != cipher.BlockSize / 8)
            throw PemLib();
        byte[] key = BytesToKey(Password(password), iv, keyLength);
        return Decrypt(cipher, key, iv, block.Der);
    }

    /// <summary>OpenSSL's EVP_BytesToKey with MD5 and one iteration, the first 8 bytes of the IV as salt.</summary>
    private static byte[] BytesToKey(byte[] password, byte[] iv, int keyLength)
    {
        using var md5 = MD5.Create();
        var key = new List<byte>();
        byte[] previous = [];
        while (key.Count < keyLength)
        {
            var input = previous.Concat(password).Concat(iv.Take(8)).ToArray();
            previous = md5.ComputeHash(input);
            key.AddRange(previous);
        }
        return key.Take(keyLength).ToArray();
    }

    private static byte[] Hex(string s)
    {
        if (s.Length % 2 != 0)
            throw PemLib();
        var b = new byte[s.Length / 2];
        for (int i = 0; i < b.Length; i++)
        {
            try { b[i] = Convert.ToByte(s.Substring(2 * i, 2), 16); }
            catch (FormatException) { throw PemLib(); }
        }
        return b;
    }

    private static byte[] Decrypt(SymmetricAlgorithm cipher, byte[] key, byte[] iv, byte[] data)
    {
        using (cipher)
        {
            cipher.Mode = CipherMode.CBC;
            cipher.Padding = PaddingMode.PKCS7;
            try
            {
                using var decryptor = cipher.CreateDecryptor(key, iv);
                return decryptor.TransformFinalBlock(data, 0, data.Length);
            }
            catch (CryptographicException) { throw PemLib(); }   // wrong password: bad padding
        }
    }

    /// <summary>EncryptedPrivateKeyInfo with PBES2 (RFC 8018): PBKDF2 (HMAC-SHA1/224/256/384/512) and AES-CBC or DES-EDE3-CBC.</summary>
    private static byte[] DecryptPkcs8(byte[] der, byte[] password)
    {
        try
        {
            var info = new DerReader(der).Read(DerReader.Sequence).Children();
            var algorithm = info.Read(DerReader.Sequence).Children();
            if (Oid(algorithm.Read(DerReader.Oid)) != OidPbes2)
                throw PemLib();
            var pbes2 = algorithm.Read(DerReader.Sequence).Children();
            var kdf = pbes2.Read(DerReader.Sequence).Children();
            if (Oid(kdf.Read(DerReader.Oid)) != OidPbkdf2)
                throw PemLib();
            var kdfParams = kdf.Read(DerReader.Sequence).Children();
            byte[] salt = kdfParams.Read(DerReader.OctetString).Contents.ToArray();
            int iterations = (int)Integer(kdfParams.Read(DerReader.Integer));
            int keyLength = -1;
            if (kdfParams.TryRead(DerReader.Integer, out var kl))
                keyLength = (int)Integer(kl);
            string prf = "1.2.840.113549.2.7";   // hmacWithSHA1, the default
            if (kdfParams.TryRead(DerReader.Sequence, out var prfAlgorithm))
                prf = Oid(prfAlgorithm.Children().Read(DerReader.Oid));
            var scheme = pbes2.Read(DerReader.Sequence).Children();
            string schemeOid = Oid(scheme.Read(DerReader.Oid));
            byte[] iv = scheme.Read(DerReader.OctetString).Contents.ToArray();
            byte[] encrypted = info.Read(DerReader.OctetString).Contents.ToArray();
            (SymmetricAlgorithm cipher, int length) = schemeOid switch
            {
                "2.16.840.1.101.3.4.1.2" => (Aes.Create(), 16),
                "2.16.840.1.101.3.4.1.22" => (Aes.Create(), 24),
                "2.16.840.1.101.3.4.1.42" => (Aes.Create(), 32),
                "1.2.840.113549.3.7" => ((SymmetricAlgorithm)TripleDES.Create(), 24),
                _ => throw PemLib(),
            };
            if (keyLength > 0 && keyLength != length)
                throw PemLib();
            HMAC mac = prf switch
            {
                "1.2.840.113549.2.7" => new HMACSHA1(password),
                "1.2.840.113549.2.9" => new HMACSHA256(password),
                "1.2.840.113549.2.10" => new HMACSHA384(password),
                "1.2.840.113549.2.11" => new HMACSHA512(password),
                _ => throw PemLib(),
            };
            byte[] key;
            using (mac)
                key = Pbkdf2(mac, salt, iterations, length);
            return Decrypt(cipher, key, iv, encrypted);
        }
        catch (PySslError e) when (e.Message.StartsWith("malformed", StringComparison.Ordinal)) { throw PemLib(); }
    }

    /// <summary>PBKDF2 (RFC 8018 §5.2) over an HMAC keyed with the password.</summary>
    private static byte[] Pbkdf2(HMAC mac, byte[] salt, int iterations, int length)
    {
        if (iterations < 1)
            throw PemLib();
        var output = new byte[length];
        int hashLength = mac.HashSize / 8;
        for (int block = 1, at = 0; at < length; block++)
        {
            var input = new byte[salt.Length + 4];
            Buffer.BlockCopy(salt, 0, input, 0, salt.Length);
            input[salt.Length] = (byte)(block >> 24);
            input[salt.Length + 1] = (byte)(block >> 16);
            input[salt.Length + 2] = (byte)(block >> 8);
            input[salt.Length + 3] = (byte)block;
            byte[] u = mac.ComputeHash(input), t = (byte[])u.Clone();
            for (int i = 1; i < iterations; i++)
            {
                u = mac.ComputeHash(u);
                for (int j = 0; j < t.Length; j++)
                    t[j] ^= u[j];
            }
            int n = Math.Min(hashLength, length - at);
            Buffer.BlockCopy(t, 0, output, at, n);
            at += n;
        }
        return output;
    }

    /// <summary>PrivateKeyInfo (RFC 5208): an RSA key (PKCS#1 inside) or an EC key (SEC1 inside, the curve in the algorithm).</summary>
    private static AsymmetricAlgorithm FromPkcs8(byte[] der)
    {
        try
        {
            var info = new DerReader(der).Read(DerReader.Sequence).Children();
            info.Read(DerReader.Integer);
            var algorithm = info.Read(DerReader.Sequence).Children();
            string oid = Oid(algorithm.Read(DerReader.Oid));
            string? curve = algorithm.TryRead(DerReader.Oid, out var c) ? Oid(c) : null;
            byte[] key = info.Read(DerReader.OctetString).Contents.ToArray();
            return oid switch
            {
                OidRsa => RsaFromPkcs1(key),
                OidEc => EcKey(key, curve),
                _ => throw new PyNotImplementedError($"the platform TLS engine cannot use {oid} keys (only RSA and EC)"),
            };
        }
        catch (PySslError e) when (e.Message.StartsWith("malformed", StringComparison.Ordinal)) { throw PemLib(); }
    }

    /// <summary>RSAPrivateKey (RFC 8017 A.1.2).</summary>
    private static RSA RsaFromPkcs1(byte[] der)
    {
        try
        {
            var r = new DerReader(der).Read(DerReader.Sequence).Children();
            r.Read(DerReader.Integer);
            byte[] n = Unsigned(r.Read(DerReader.Integer)), e = Unsigned(r.Read(DerReader.Integer)), d = Unsigned(r.Read(DerReader.Integer)),
                p = Unsigned(r.Read(DerReader.Integer)), q = Unsigned(r.Read(DerReader.Integer)), dp = Unsigned(r.Read(DerReader.Integer)),
                dq = Unsigned(r.Read(DerReader.Integer)), qi = Unsigned(r.Read(DerReader.Integer));
            int half = (n.Length + 1) / 2;
            var parameters = new RSAParameters
            {
                Modulus = n, Exponent = e, D = Pad(d, n.Length), P = Pad(p, half), Q = Pad(q, half),
                DP = Pad(dp, half), DQ = Pad(dq, half), InverseQ = Pad(qi, half),
            };
            // RSA.Create() is CNG on Windows; where that cannot import a private key (Wine's bcrypt), CAPI can
            foreach (Func<RSA> make in new Func<RSA>[] { RSA.Create, () => new RSACryptoServiceProvider() })
            {
                RSA rsa;
                try { rsa = make(); }
                catch (PlatformNotSupportedException) { continue; }
                try
                {
                    rsa.ImportParameters(parameters);
                    return rsa;
                }
                catch (CryptographicException) { rsa.Dispose(); }
            }
            throw PemLib();
        }
        catch (PySslError e) when (e.Message.StartsWith("malformed", StringComparison.Ordinal)) { throw PemLib(); }
    }

    /// <summary>
    /// An EC key, where the runtime has EC keys: Mono's netstandard facade lacks ECParameters (a TypeLoadException when
    /// the method that uses it is compiled), so that use stays in a method of its own.
    /// </summary>
    private static AsymmetricAlgorithm EcKey(byte[] der, string? curveOid)
    {
        try { return EcFromSec1(der, curveOid); }
        catch (TypeLoadException) { throw SslStreamEngine.NotSupported("an EC private key on this runtime"); }
    }

    /// <summary>ECPrivateKey (RFC 5915), on a named curve given in it or by the PKCS#8 algorithm.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ECDsa EcFromSec1(byte[] der, string? curveOid)
    {
        try
        {
            var r = new DerReader(der).Read(DerReader.Sequence).Children();
            r.Read(DerReader.Integer);
            byte[] d = r.Read(DerReader.OctetString).Contents.ToArray();
            byte[]? publicKey = null;
            while (r.HasMore)
            {
                var e = r.Read();
                if (e.IsContext(0))
                    curveOid = Oid(e.Children().Read(DerReader.Oid));
                else if (e.IsContext(1))
                    publicKey = e.Children().Read(DerReader.BitString).Contents.Slice(1).ToArray();
            }
            if (curveOid is null)
                throw PemLib();
            var parameters = new ECParameters { Curve = ECCurve.CreateFromValue(curveOid), D = d };
            if (publicKey is { Length: > 1 } && publicKey[0] == 4)   // uncompressed point: 04 || X || Y
            {
                int half = (publicKey.Length - 1) / 2;
                parameters.Q = new ECPoint { X = publicKey.AsSpan(1, half).ToArray(), Y = publicKey.AsSpan(1 + half, half).ToArray() };
                parameters.D = Pad(d, half);
            }
            var ec = ECDsa.Create();
            try { ec.ImportParameters(parameters); }
            catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or NotSupportedException or ArgumentException)
            {
                ec.Dispose();
                throw new PyNotImplementedError($"the platform TLS engine cannot use this EC key ({ex.Message})");
            }
            return ec;
        }
        catch (PySslError e) when (e.Message.StartsWith("malformed", StringComparison.Ordinal)) { throw PemLib(); }
    }

    private static string Oid(DerElement e) => DerReader.OidText(e.Contents.Span);

    private static long Integer(DerElement e)
    {
        long v = 0;
        foreach (byte b in e.Contents.Span)
            v = (v << 8) | b;
        return v;
    }

    /// <summary>An INTEGER's magnitude without its sign byte.</summary>
    private static byte[] Unsigned(DerElement e)
    {
        var s = e.Contents.Span;
        while (s.Length > 1 && s[0] == 0)
            s = s.Slice(1);
        return s.ToArray();
    }

    private static byte[] Pad(byte[] value, int length)
    {
        if (value.Length >= length)
            return value;
        var padded = new byte[length];
        Buffer.BlockCopy(value, 0, padded, length - value.Length, value.Length);
        return padded;
    }
}
