package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.MonteCarloInference;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model files: a file written by NumPy (make_tiny_model.py beside the resource) loads and gives the
 * logits NumPy computed; a round trip is exact; wrong content is refused with one-line errors.
 */
class ModelFileTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void numpyWrittenModelGivesTheExpectedLogits() throws Exception {
        Network net = ModelFile.read(resource("tiny-bayes-mlp.safetensors"));
        assertTrue(net.bayesian());
        assertEquals("mlp:784-8-10", net.architecture().id());
        JsonNode exp;
        try (InputStream in = getClass().getResourceAsStream("tiny-bayes-mlp.expected.json")) {
            exp = JsonMapper.builder().build().readTree(in);
        }
        int n = exp.get("inputs").size();
        float[] x = new float[n * 784];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                x[i * 784 + p] = (float) exp.get("inputs").get(i).get(p).asDouble();
            }
        }
        float[] z = MonteCarloInference.logits(net, net.params(), x, n);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(exp.get("logits").get(i).get(c).asDouble(), z[i * 10 + c], 1e-5, "logit " + i + "," + c);
            }
        }
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        assertEquals(exp.get("sigma_fc1_0_0").asDouble(), sigma[net.tensor("fc1.weight_rho").offset()], 1e-9);
    }

    @Test
    void roundTripIsExact() {
        for (String arch : new String[] {"lenet5", "mlp"}) {
            for (boolean bayes : new boolean[] {true, false}) {
                Network net = Network.initialised(Architecture.of(arch, Activation.HARDTANH), bayes, SigmaTransform.EXP,
                        -4f, 5);
                Path f = dir.resolve(arch + bayes + ".safetensors");
                ModelFile.write(f, net, Map.of("note", "x"));
                Network back = ModelFile.read(f);
                assertArrayEquals(net.params(), back.params());
                assertEquals(Activation.HARDTANH, back.architecture().activation());
                assertEquals(SigmaTransform.EXP, back.transform());
                assertEquals(bayes, back.bayesian());
                assertEquals("x", SafeTensors.read(f).metadata().get("note"));
            }
        }
    }

    private void refused(List<SafeTensors.Tensor> tensors, Map<String, String> meta, String fragment) {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.write(f, tensors, meta);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.read(f));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesMissingWrongShapedUnexpectedAndNonFiniteTensors() {
        Network net = Network.initialised(Architecture.of("mlp", Activation.RELU), true, SigmaTransform.SOFTPLUS, -5f, 1);
        Map<String, String> meta = ModelFile.metadata(net, null);
        List<SafeTensors.Tensor> ok = ModelFile.tensors(net);

        List<SafeTensors.Tensor> missing = new ArrayList<>(ok);
        missing.removeIf(t -> t.name().equals("fc2.weight_rho"));
        refused(missing, meta, "missing tensor fc2.weight_rho");

        List<SafeTensors.Tensor> shaped = new ArrayList<>(ok);
        shaped.set(0, SafeTensors.Tensor.f32("fc1.weight_mu", new int[] {784, 100}, ok.get(0).values()));
        refused(shaped, meta, "has shape [784, 100], expected [100, 784]");

        List<SafeTensors.Tensor> extra = new ArrayList<>(ok);
        extra.add(SafeTensors.Tensor.f32("fc9.bias", new int[] {1}, new float[1]));
        refused(extra, meta, "unexpected tensor fc9.bias");

        List<SafeTensors.Tensor> nan = new ArrayList<>(ok);
        float[] v = ok.get(2).values().clone();
        v[3] = Float.NaN;
        nan.set(2, SafeTensors.Tensor.f32(ok.get(2).name(), ok.get(2).shape(), v));
        refused(nan, meta, "fc1.bias holds NaN");

        Map<String, String> noArch = new LinkedHashMap<>(meta);
        noArch.remove("arch");
        refused(ok, noArch, "no 'arch'");
        Map<String, String> badArch = new LinkedHashMap<>(meta);
        badArch.put("arch", "vgg");
        refused(ok, badArch, "unknown architecture 'vgg'");
    }
}
