"""The literature every preset, model and experiment cites, in one place.

Each entry is a full reference (authors, title, journal, volume, page, year); presets
name the figure their numbers come from next to the key. The report and ``memristive
list`` print these, never "seed 00N".
"""

from __future__ import annotations

from memristive.errors import require

REFERENCES: dict[str, str] = {
    "mou2021": (
        "X. Mou, J. Tang, Y. Lyu, Q. Zhang, S. Yang, F. Xu, W. Liu, M. Xu, Y. Zhou, W. Sun, Y. Zhong, B. Gao, "
        "P. Yu, H. Qian, H. Wu, \"Analog memristive synapse based on topotactic phase transition for "
        "high-performance neuromorphic computing and neural network pruning\", Sci. Adv. 7, eabh0648 (2021)"
    ),
    "li2019": (
        "J. Li, C. Ge, H. Lu, H. Guo, E.-J. Guo, M. He, C. Wang, G. Yang, K. Jin, \"Energy-efficient artificial "
        "synapses based on oxide tunnel junctions\", ACS Appl. Mater. Interfaces 11, 43473 (2019)"
    ),
    "zhang2019": (
        "T. Zhang, K. Yang, X. Xu, Y. Cai, Y. Yang, R. Huang, \"Memristive devices and networks for "
        "brain-inspired computing\", Phys. Status Solidi RRL 13, 1900029 (2019)"
    ),
    "kim2021": (
        "H. Kim, H. Nili, M. R. Mahmoodi, D. B. Strukov, \"4K-memristor analog-grade passive crossbar "
        "circuit\", Nat. Commun. 12, 5198 (2021)"
    ),
    "chen2020": (
        "Q. Chen, T. Han, M. Tang, Z. Zhang, X. Zheng, G. Liu, \"Improving the recognition accuracy of "
        "memristive neural networks via homogenized analog type conductance quantization\", "
        "Micromachines 11, 427 (2020)"
    ),
    "chen2017": (
        "P.-Y. Chen, X. Peng, S. Yu, \"NeuroSim+: an integrated device-to-algorithm framework for "
        "benchmarking synaptic devices and array architectures\", IEDM Tech. Dig., 6.1.1 (2017)"
    ),
    "strukov2009": (
        "D. B. Strukov, R. S. Williams, \"Exponential ionic drift: fast switching and low volatility of "
        "thin-film memristors\", Appl. Phys. A 94, 515 (2009)"
    ),
    "hopfield1982": (
        "J. J. Hopfield, \"Neural networks and physical systems with emergent collective computational "
        "abilities\", Proc. Natl. Acad. Sci. USA 79, 2554 (1982)"
    ),
    "amit1985": (
        "D. J. Amit, H. Gutfreund, H. Sompolinsky, \"Storing infinite numbers of patterns in a spin-glass model "
        "of neural networks\", Phys. Rev. Lett. 55, 1530 (1985)"
    ),
    "eryilmaz2014": (
        "S. B. Eryilmaz, D. Kuzum, R. Jeyasingh, S. Kim, M. BrightSky, C. Lam, H.-S. P. Wong, \"Brain-like "
        "associative learning using a nanoscale non-volatile phase change synaptic device array\", "
        "Front. Neurosci. 8, 205 (2014)"
    ),
    "hu2015": (
        "S. G. Hu, Y. Liu, Z. Liu, T. P. Chen, J. J. Wang, Q. Yu, L. J. Deng, Y. Yin, S. Hosaka, \"Associative "
        "memory realized by a reconfigurable memristive Hopfield neural network\", Nat. Commun. 6, 7522 (2015)"
    ),
    "jeong2018": (
        "Y. Jeong, J. Lee, J. Moon, J. H. Shin, W. D. Lu, \"K-means data clustering with memristor networks\", "
        "Nano Lett. 18, 4447 (2018)"
    ),
    "li2018": (
        "C. Li, M. Hu, Y. Li, H. Jiang, N. Ge, E. Montgomery, J. Zhang, W. Song, N. Davila, C. E. Graves, Z. Li, "
        "J. P. Strachan, P. Lin, Z. Wang, M. Barnell, Q. Wu, R. S. Williams, J. J. Yang, Q. Xia, \"Analogue "
        "signal and image processing with large memristor crossbars\", Nat. Electron. 1, 52 (2018)"
    ),
    "li2018insitu": (
        "C. Li, D. Belkin, Y. Li, P. Yan, et al., \"Efficient and self-adaptive in-situ learning in multilayer "
        "memristor neural networks\", Nat. Commun. 9, 2385 (2018)"
    ),
    "ambrogio2018": (
        "S. Ambrogio, P. Narayanan, H. Tsai, et al., \"Equivalent-accuracy accelerated neural-network training "
        "using analogue memory\", Nature 558, 60 (2018)"
    ),
    "zidan2018": (
        "M. A. Zidan, Y. Jeong, J. Lee, B. Chen, S. Huang, M. J. Kushner, W. D. Lu, \"A general memristor-based "
        "partial differential equation solver\", Nat. Electron. 1, 411 (2018)"
    ),
    "sheridan2017": (
        "P. M. Sheridan, F. Cai, C. Du, W. Ma, Z. Zhang, W. D. Lu, \"Sparse coding with memristor networks\", "
        "Nat. Nanotechnol. 12, 784 (2017)"
    ),
    "du2017": (
        "C. Du, F. Cai, M. A. Zidan, W. Ma, S. H. Lee, W. D. Lu, \"Reservoir computing using dynamic memristors "
        "for temporal information processing\", Nat. Commun. 8, 2204 (2017)"
    ),
    "nandakumar2018": (
        "S. R. Nandakumar, M. Le Gallo, I. Boybat, B. Rajendran, A. Sebastian, E. Eleftheriou, \"A phase-change "
        "memory model for neuromorphic computing\", J. Appl. Phys. 124, 152135 (2018)"
    ),
    "yao2017": (
        "P. Yao, H. Wu, B. Gao, S. B. Eryilmaz, X. Huang, W. Zhang, Q. Zhang, N. Deng, L. Shi, H.-S. P. Wong, "
        "H. Qian, \"Face classification using electronic synapses\", Nat. Commun. 8, 15199 (2017)"
    ),
    "boybat2018": (
        "I. Boybat, M. Le Gallo, S. R. Nandakumar, T. Moraitis, T. Parnell, T. Tuma, B. Rajendran, Y. Leblebici, "
        "A. Sebastian, E. Eleftheriou, \"Neuromorphic computing with multi-memristive synapses\", Nat. Commun. 9, "
        "2514 (2018)"
    ),
    "suri2013": (
        "M. Suri, D. Querlioz, O. Bichler, G. Palma, E. Vianello, D. Vuillaume, C. Gamrat, B. DeSalvo, "
        "\"Bio-inspired stochastic computing using binary CBRAM synapses\", IEEE Trans. Electron Devices 60, "
        "2402 (2013)"
    ),
    "pickett2012": (
        "M. D. Pickett, R. S. Williams, \"Sub-100 fJ and sub-nanosecond thermally driven threshold switching in "
        "niobium oxide crosspoint nanodevices\", Nanotechnology 23, 215202 (2012)"
    ),
    "pickett2013": (
        "M. D. Pickett, G. Medeiros-Ribeiro, R. S. Williams, \"A scalable neuristor built with Mott memristors\", "
        "Nat. Mater. 12, 114 (2013)"
    ),
    "kumar2017": (
        "S. Kumar, J. P. Strachan, R. S. Williams, \"Chaotic dynamics in nanoscale NbO2 Mott memristors for "
        "analogue computing\", Nature 548, 318 (2017)"
    ),
    "tuma2016": (
        "T. Tuma, A. Pantazi, M. Le Gallo, A. Sebastian, E. Eleftheriou, \"Stochastic phase-change neurons\", "
        "Nat. Nanotechnol. 11, 693 (2016)"
    ),
    "legallo2020": (
        "M. Le Gallo, A. Sebastian, \"An overview of phase-change memory device physics\", J. Phys. D: Appl. Phys. "
        "53, 213002 (2020)"
    ),
    "prezioso2015": (
        "M. Prezioso, F. Merrikh-Bayat, B. D. Hoskins, G. C. Adam, K. K. Likharev, D. B. Strukov, \"Training and "
        "operation of an integrated neuromorphic network based on metal-oxide memristors\", Nature 521, 61 (2015)"
    ),
    "gokmen2016": (
        "T. Gokmen, Y. Vlasov, \"Acceleration of deep neural network training with resistive cross-point devices: "
        "design considerations\", Front. Neurosci. 10, 333 (2016)"
    ),
    "fuller2017": (
        "E. J. Fuller, F. El Gabaly, F. Leonard, S. Agarwal, S. J. Plimpton, R. B. Jacobs-Gedrim, C. D. James, "
        "M. J. Marinella, A. A. Talin, \"Li-ion synaptic transistor for low power analog computing\", Adv. Mater. "
        "29, 1604310 (2017)"
    ),
    "vandeburgt2017": (
        "Y. van de Burgt, E. Lubberman, E. J. Fuller, S. T. Keene, G. C. Faria, S. Agarwal, M. J. Marinella, "
        "A. A. Talin, A. Salleo, \"A non-volatile organic electrochemical device as a low-voltage artificial synapse "
        "for neuromorphic computing\", Nat. Mater. 16, 414 (2017)"
    ),
    "kuzum2012": (
        "D. Kuzum, R. G. D. Jeyasingh, B. Lee, H.-S. P. Wong, \"Nanoelectronic programmable synapses based on phase "
        "change materials for brain-inspired computing\", Nano Lett. 12, 2179 (2012)"
    ),
    "burr2015": (
        "G. W. Burr, R. M. Shelby, S. Sidler, C. di Nolfo, J. Jang, I. Boybat, R. S. Shenoy, P. Narayanan, "
        "K. Virwani, E. U. Giacometti, B. N. Kurdi, H. Hwang, \"Experimental demonstration and tolerancing of a "
        "large-scale neural network (165 000 synapses) using phase-change memory as the synaptic weight element\", "
        "IEEE Trans. Electron Devices 62, 3498 (2015)"
    ),
    "yu2011": (
        "S. Yu, Y. Wu, R. Jeyasingh, D. Kuzum, H.-S. P. Wong, \"An electronic synapse device based on metal oxide "
        "resistive switching memory for neuromorphic computation\", IEEE Trans. Electron Devices 58, 2729 (2011)"
    ),
    "yu2013": (
        "S. Yu, B. Gao, Z. Fang, H. Yu, J. Kang, H.-S. P. Wong, \"Stochastic learning in oxide binary synaptic "
        "device for neuromorphic computing\", Front. Neurosci. 7, 186 (2013)"
    ),
    "vincent2015": (
        "A. F. Vincent, J. Larroque, N. Locatelli, N. Ben Romdhane, O. Bichler, C. Gamrat, W. S. Zhao, "
        "J.-O. Klein, S. Galdin-Retailleau, D. Querlioz, \"Spin-transfer torque magnetic memory as a stochastic "
        "memristive synapse for neuromorphic systems\", IEEE Trans. Biomed. Circuits Syst. 9, 166 (2015)"
    ),
    "yi2018": (
        "W. Yi, K. K. Tsang, S. K. Lam, X. Bai, J. A. Crowell, E. A. Flores, \"Biological plausibility and "
        "stochasticity in scalable VO2 active memristor neurons\", Nat. Commun. 9, 4661 (2018)"
    ),
    "wang2017": (
        "Z. Wang, S. Joshi, S. E. Savel'ev, H. Jiang, R. Midya, P. Lin, M. Hu, N. Ge, J. P. Strachan, Z. Li, Q. Wu, "
        "M. Barnell, G.-L. Li, H. L. Xin, R. S. Williams, Q. Xia, J. J. Yang, \"Memristors with diffusive dynamics "
        "as synaptic emulators for neuromorphic computing\", Nat. Mater. 16, 101 (2017)"
    ),
    "chang2011": (
        "T. Chang, S.-H. Jo, W. Lu, \"Short-term memory to long-term memory transition in a nanoscale memristor\", "
        "ACS Nano 5, 7669 (2011)"
    ),
    "marinella2018": (
        "M. J. Marinella, S. Agarwal, A. Hsia, I. Richter, R. Jacobs-Gedrim, J. Niroula, S. J. Plimpton, E. Ipek, "
        "C. D. James, \"Multiscale co-design analysis of energy, latency, area, and accuracy of a ReRAM analog "
        "neural training accelerator\", IEEE J. Emerg. Sel. Topics Circuits Syst. 8, 86 (2018)"
    ),
}


def cite(key: str, where: str = "") -> str:
    """The full reference ``key``, followed by ``where`` (figure, table) when given."""
    require(key in REFERENCES, f"unknown reference {key!r}; known: {', '.join(REFERENCES)}")
    return REFERENCES[key] + (f", {where}" if where else "")
